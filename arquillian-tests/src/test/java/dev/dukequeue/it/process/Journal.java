package dev.dukequeue.it.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code demo.work} recorded in the journals of node processes (one file per process start), read back: every
 * execution with its start and, if the handler ended, its end. Written by the handler outside the queue's tables and
 * forced to disk line by line, so it says what really ran, whatever the queue's own record says.
 */
final class Journal {

    /**
     * One execution of a job.
     *
     * @param process the index of the journal (the process start) it was recorded in
     * @param start   when it began its work, nanoseconds since the epoch
     * @param end     when its handler ended, or -1 if it never did (its process died first, or it still runs)
     * @param ok      whether its work ended normally
     * @param bound   when it ended at the latest: its end, else the exit of its process (Long.MAX_VALUE if alive)
     */
    record Execution(String job, int process, String owner, long start, long end, boolean ok, long bound) {
        boolean ended() {
            return end >= 0;
        }
    }

    /** One process start's journal, its lease owner and when it had exited (Long.MAX_VALUE: it still runs). */
    record Process(Path file, String owner, long exit) {
    }

    private final List<Execution> executions = new ArrayList<>();
    /**
     * {@code job node/pid/start} of every start line. The execution id alone ({@code node/pid/start}) is not unique:
     * two executions of one process can start within the clock's resolution (a microsecond; seen in a chaos run).
     */
    private final java.util.Set<String> ids = new java.util.HashSet<>();
    /** The executions of each job, by start time: a chaos run has tens of thousands, looked up once per job. */
    private final Map<String, List<Execution>> byJob = new HashMap<>();

    private Journal() {
    }

    /** Reads every journal; a torn last line (a process killed mid-write) is not a line. */
    static Journal read(List<Process> processes) {
        Journal journal = new Journal();
        for (int p = 0; p < processes.size(); p++) {
            Process process = processes.get(p);
            if (!Files.exists(process.file())) {
                continue;
            }
            String text;
            try {
                text = Files.readString(process.file(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            int complete = text.lastIndexOf('\n') + 1;
            Map<String, long[]> open = new HashMap<>(); // job + start -> {start, end, ok}
            List<String> order = new ArrayList<>();
            for (String line : text.substring(0, complete).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(" ");
                if (f[0].equals("start")) {
                    String key = f[2] + " " + f[1];
                    open.put(key, new long[] {Long.parseLong(f[1]), -1, 0});
                    order.add(key);
                    journal.ids.add(f[2] + " " + f[3] + "/" + f[4] + "/" + f[1]);
                } else if (f[0].equals("end")) {
                    long[] e = open.get(f[2] + " " + f[6]);
                    if (e == null) {
                        throw new IllegalStateException("an end line without its start in " + process.file() + ": " + line);
                    }
                    e[1] = Long.parseLong(f[1]);
                    e[2] = f[7].equals("ok") ? 1 : 0;
                } else {
                    throw new IllegalStateException("not a journal line in " + process.file() + ": " + line);
                }
            }
            for (String key : order) {
                long[] e = open.get(key);
                journal.executions.add(new Execution(key.substring(0, key.indexOf(' ')), p, process.owner(), e[0], e[1],
                        e[2] == 1, e[1] >= 0 ? e[1] : process.exit()));
            }
        }
        journal.executions.sort(Comparator.comparingLong(Execution::start));
        journal.executions.forEach(e -> journal.byJob.computeIfAbsent(e.job(), k -> new ArrayList<>()).add(e));
        return journal;
    }

    List<Execution> all() {
        return executions;
    }

    /** @return the executions of {@code job}, by start time */
    List<Execution> of(String job) {
        return List.copyOf(byJob.getOrDefault(job, List.of()));
    }

    /** @return every job with its executions, by start time */
    Map<String, List<Execution>> byJob() {
        Map<String, List<Execution>> all = new HashMap<>();
        byJob.forEach((job, runs) -> all.put(job, List.copyOf(runs)));
        return all;
    }

    /** @return the execution of {@code job} named by an id of demo.work's result ({@code node/pid/start}), or null */
    Execution byResultId(String job, String id) {
        if (!ids.contains(job + " " + id)) {
            return null;
        }
        long start = Long.parseLong(id.substring(id.lastIndexOf('/') + 1));
        return of(job).stream().filter(e -> e.start() == start).findFirst().orElse(null);
    }

    /**
     * @return pairs of executions of one job that overlapped in time (the later one began before the earlier one had
     * ended, or before its process had exited if it never ended), as readable lines
     */
    List<String> overlaps() {
        List<String> found = new ArrayList<>();
        byJob().forEach((job, runs) -> {
            for (int i = 0; i < runs.size(); i++) {
                for (int j = i + 1; j < runs.size(); j++) {
                    Execution a = runs.get(i);
                    Execution b = runs.get(j);
                    if (b.start() < a.bound()) {
                        found.add(job + ": " + a + " overlaps " + b);
                    }
                }
            }
        });
        return found;
    }
}
