package io.pgroll.load;

import io.pgroll.load.LoadHarness.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The runs as a person reads them: per phase, the statements, their p50/p99/max latency (from when
 * each was due), the failures and the most lock waiters; each phase's p99 also as a ratio to the same
 * run's "before", the same load with no migration. A CSV of every second, and an SVG of latency over
 * time with the phases marked.
 */
final class Report {
    static final String CSV = "load.csv";
    static final String SVG = "load.svg";

    private final List<Run> runs;

    Report(List<Run> runs) {
        this.runs = List.copyOf(runs);
    }

    /** What one phase of a run saw. Latencies in milliseconds. */
    record PhaseFigures(
            String phase,
            double seconds,
            long statements,
            double p50,
            double p99,
            double max,
            long failed,
            int lockWaiters) {}

    /** The phases of a run, in order, each with its figures. */
    static List<PhaseFigures> phases(Run run) {
        List<PhaseFigures> figures = new ArrayList<>();
        for (Recorder.Phase phase : run.recorder().phases()) {
            long[] sorted = phase.sortedLatencies();
            figures.add(new PhaseFigures(
                    phase.name(),
                    run.recorder().seconds(phase),
                    sorted.length,
                    percentile(sorted, 0.50),
                    percentile(sorted, 0.99),
                    sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1000.0,
                    phase.failures(),
                    phase.lockWaiters()));
        }
        return figures;
    }

    static double percentile(long[] sortedMicros, double q) {
        if (sortedMicros.length == 0) {
            return 0;
        }
        int index = (int) Math.min(sortedMicros.length - 1, Math.ceil(q * sortedMicros.length) - 1);
        return sortedMicros[Math.max(0, index)] / 1000.0;
    }

    String summary() {
        StringBuilder out = new StringBuilder();
        for (Run run : runs) {
            List<PhaseFigures> phases = phases(run);
            double baseline = phases.isEmpty() ? 0 : phases.get(0).p99();
            out.append(String.format(
                    Locale.ROOT, "%n%s, %s, %,d rows%n", run.scenario().name(), run.tool().label, run.rows()));
            out.append(String.format(
                    Locale.ROOT,
                    "  %-14s %6s %10s %9s %9s %10s %11s %7s %6s%n",
                    "phase",
                    "s",
                    "statements",
                    "p50 ms",
                    "p99 ms",
                    "max ms",
                    "p99/before",
                    "failed",
                    "locks"));
            for (PhaseFigures f : phases) {
                out.append(String.format(
                        Locale.ROOT,
                        "  %-14s %6.1f %10d %9.2f %9.2f %10.1f %10.2fx %7d %6d%n",
                        f.phase(),
                        f.seconds(),
                        f.statements(),
                        f.p50(),
                        f.p99(),
                        f.max(),
                        baseline == 0 ? 0 : f.p99() / baseline,
                        f.failed(),
                        f.lockWaiters()));
            }
            List<String> failures = run.recorder().firstFailures();
            if (!failures.isEmpty()) {
                out.append("  first failures:\n");
                failures.forEach(f -> out.append("    ").append(f).append('\n'));
            }
        }
        return out.toString();
    }

    void write(Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(CSV), csv());
        Files.writeString(directory.resolve(SVG), svg());
    }

    String csv() {
        StringBuilder out =
                new StringBuilder("scenario,tool,second,phase,statements,p50_ms,p99_ms,max_ms,failed,lock_waiters\n");
        for (Run run : runs) {
            List<Recorder.Second> seconds = run.recorder().seconds();
            for (int i = 0; i < seconds.size(); i++) {
                Recorder.Second s = seconds.get(i);
                long[] sorted = s.sortedLatencies();
                out.append(String.format(
                        Locale.ROOT,
                        "%s,%s,%d,%s,%d,%.3f,%.3f,%.3f,%d,%d%n",
                        run.scenario().name(),
                        run.tool().name().toLowerCase(Locale.ROOT),
                        i,
                        run.recorder().phaseAt(i * 1_000_000_000L + 500_000_000L),
                        s.count(),
                        percentile(sorted, 0.50),
                        percentile(sorted, 0.99),
                        sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1000.0,
                        s.failures(),
                        s.lockWaiters()));
            }
        }
        return out.toString();
    }

    /**
     * One panel per run: p99 (blue) and max (red) latency of each second on a log scale from 0.1 ms to
     * 10 s, phases as shaded bands with their names, a red mark under each second with failures.
     */
    String svg() {
        int width = 960;
        int panel = 220;
        int left = 60;
        int plotWidth = width - left - 20;
        int plotHeight = panel - 60;
        int longest =
                runs.stream().mapToInt(r -> r.recorder().seconds().size()).max().orElse(1);
        StringBuilder out = new StringBuilder(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\""
                        + " font-size=\"11\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n",
                width,
                panel * runs.size() + 20));
        for (int r = 0; r < runs.size(); r++) {
            Run run = runs.get(r);
            int top = r * panel + 30;
            double secondWidth = (double) plotWidth / Math.max(1, longest);
            out.append(text(
                    left,
                    top - 10,
                    run.scenario().name() + " — " + run.tool().label + ", "
                            + String.format(Locale.ROOT, "%,d", run.rows()) + " rows",
                    "bold"));
            List<Recorder.Phase> phases = run.recorder().phases();
            long end = run.recorder().seconds().size() * 1_000_000_000L;
            for (int p = 0; p < phases.size(); p++) {
                double x0 = left + phases.get(p).beganNanos() / 1e9 * secondWidth;
                double x1 = left + (p + 1 < phases.size() ? phases.get(p + 1).beganNanos() : end) / 1e9 * secondWidth;
                out.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
                        x0,
                        top,
                        Math.max(0.5, x1 - x0),
                        plotHeight,
                        p % 2 == 0 ? "#f2f2f2" : "#e4e9f2"));
                out.append(text(x0 + 2, top + 12, phases.get(p).name(), "normal"));
            }
            for (double ms : new double[] {0.1, 1, 10, 100, 1000, 10000}) {
                double y = y(ms, top, plotHeight);
                out.append(String.format(
                        Locale.ROOT,
                        "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ccc\"/>%n",
                        left,
                        y,
                        left + plotWidth,
                        y));
                out.append(text(4, y + 4, (ms < 1 ? "0.1" : String.format(Locale.ROOT, "%.0f", ms)) + " ms", "normal"));
            }
            StringBuilder p99 = new StringBuilder();
            StringBuilder max = new StringBuilder();
            List<Recorder.Second> seconds = run.recorder().seconds();
            for (int i = 0; i < seconds.size(); i++) {
                long[] sorted = seconds.get(i).sortedLatencies();
                if (sorted.length == 0) {
                    continue;
                }
                double x = left + (i + 0.5) * secondWidth;
                p99.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y(percentile(sorted, 0.99), top, plotHeight)));
                max.append(String.format(
                        Locale.ROOT, "%.1f,%.1f ", x, y(sorted[sorted.length - 1] / 1000.0, top, plotHeight)));
                if (seconds.get(i).failures() > 0) {
                    out.append(String.format(
                            Locale.ROOT,
                            "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"6\" fill=\"#d00\"/>%n",
                            x - secondWidth / 2,
                            top + plotHeight + 2,
                            secondWidth));
                }
            }
            out.append("<polyline fill=\"none\" stroke=\"#d33\" stroke-width=\"1\" points=\"" + max + "\"/>\n");
            out.append("<polyline fill=\"none\" stroke=\"#2255cc\" stroke-width=\"1.5\" points=\"" + p99 + "\"/>\n");
            out.append(text(
                    left,
                    top + plotHeight + 22,
                    "seconds → (blue: p99, red: max, red marks: failed statements)",
                    "normal"));
        }
        return out.append("</svg>\n").toString();
    }

    private static double y(double ms, int top, int height) {
        double clamped = Math.max(0.1, Math.min(10000, ms));
        double fraction = (Math.log10(clamped) + 1) / 5; // 0.1 ms .. 10 s over five decades
        return top + height - fraction * height;
    }

    private static String text(double x, double y, String text, String weight) {
        return String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" font-weight=\"%s\">%s</text>%n",
                x,
                y,
                weight,
                text.replace("&", "&amp;").replace("<", "&lt;"));
    }
}
