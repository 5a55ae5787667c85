package dev.dukequeue.it.process;

/** Prints one figure of the benchmark (and writes it to its report). */
@FunctionalInterface
interface BenchFigure {
    void print(String name, String value);
}
