package dev.dukequeue.it;

/** Reads one sample out of a {@code /metrics} answer (Prometheus text format). */
public final class PrometheusText {

    private PrometheusText() {
    }

    /**
     * @param body   the {@code /metrics} answer
     * @param name   the sample's name
     * @param labels text every matching line must contain, such as {@code queue="mail"}
     * @return the value of the first matching sample, or 0 if there is none (a counter not registered yet)
     */
    public static double value(String body, String name, String... labels) {
        for (String line : body.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                boolean all = true;
                for (String label : labels) {
                    all &= line.contains(label);
                }
                if (all) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return 0;
    }
}
