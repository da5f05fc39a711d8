package io.pgroll.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code pgroll --version}: the jar's implementation version. */
final class Versions implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Versions.class.getPackage().getImplementationVersion();
        return new String[] {"pgroll for the JVM " + (version == null ? "(development build)" : version)};
    }
}
