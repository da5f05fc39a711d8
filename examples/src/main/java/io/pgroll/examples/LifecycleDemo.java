package io.pgroll.examples;

public final class LifecycleDemo {
    public static void main(String[] args) {
        System.out.println("demo");
    }
}
