package dev.dukequeue.it.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command that starts a Java server for a test: the JDK running the tests, a small heap, the serial collector,
 * the server's own temporary directory. When {@code dukequeue.it.quickStart} is true (set by the build's test run),
 * only the first JIT tier: Payara Micro is ready about a third sooner on two cores (10.5 s against 13.5-17 s, the
 * runnable jar on H2), and the test run starts about 40 servers. The benchmark leaves it off: its nodes run fully
 * compiled code.
 */
public final class TestJvm {

    private TestJvm() {
    }

    /** @return {@code java} and its options, to which the caller adds its {@code -D} settings and {@code -jar ...} */
    public static List<String> command(Path tmpDir) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + tmpDir));
        if (Boolean.getBoolean("dukequeue.it.quickStart")) {
            cmd.add("-XX:TieredStopAtLevel=1");
        }
        return cmd;
    }
}
