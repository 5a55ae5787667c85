package dev.dukequeue.it.process;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/** Draws the soak's samples as a PNG with Java2D (headless): four panels over time, the held-xmin phase shaded. */
final class SoakPlot {

    private static final int WIDTH = 1100;
    private static final int PANEL = 210;
    private static final int LEFT = 90;
    private static final int RIGHT = 160;
    private static final int TOP = 40;

    private record Series(String label, Color color, ToDoubleFunction<Soak.Sample> value) {
    }

    private SoakPlot() {
    }

    static void write(List<Soak.Sample> samples, Path png, double rate) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int height = TOP + 4 * PANEL + 30;
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(String.format(Locale.ROOT, "DukeQueue soak: %.0f jobs/s submitted, retention on; shaded: one"
                + " transaction holding the xmin horizon", rate), LEFT, 24);
        double maxMinute = samples.isEmpty() ? 1 : samples.get(samples.size() - 1).minute();
        panel(g, samples, maxMinute, 0, "submit-to-start (ms)", List.of(
                new Series("p50", new Color(0x1f77b4), Soak.Sample::p50),
                new Series("p99", new Color(0xd62728), Soak.Sample::p99)));
        panel(g, samples, maxMinute, 1, "jobs started per second", List.of(
                new Series("started/s", new Color(0x2ca02c), Soak.Sample::startedPerSecond)));
        panel(g, samples, maxMinute, 2, "dq_job tuples", List.of(
                new Series("dead", new Color(0xd62728), s -> s.deadTuples()),
                new Series("live", new Color(0x7f7f7f), s -> s.liveTuples())));
        panel(g, samples, maxMinute, 3, "dq_job size (MB)", List.of(
                new Series("table", new Color(0x9467bd), s -> s.tableBytes() / 1048576.0),
                new Series("indexes", new Color(0xff7f0e), s -> s.indexBytes() / 1048576.0)));
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString("minutes", LEFT + (WIDTH - LEFT - RIGHT) / 2, height - 8);
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    private static void panel(Graphics2D g, List<Soak.Sample> samples, double maxMinute, int index, String title,
            List<Series> series) {
        int top = TOP + index * PANEL + 10;
        int bottom = top + PANEL - 40;
        int right = WIDTH - RIGHT;
        double max = 0;
        for (Series s : series) {
            for (Soak.Sample sample : samples) {
                max = Math.max(max, s.value().applyAsDouble(sample));
            }
        }
        max = max <= 0 ? 1 : max * 1.1;
        // held-xmin phases
        g.setColor(new Color(0xEEEEEE));
        for (int i = 0; i < samples.size(); i++) {
            if (samples.get(i).holding()) {
                double from = i == 0 ? 0 : samples.get(i - 1).minute();
                int x0 = x(from, maxMinute, right);
                int x1 = x(samples.get(i).minute(), maxMinute, right);
                g.fillRect(x0, top, Math.max(1, x1 - x0), bottom - top);
            }
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1));
        g.drawRect(LEFT, top, right - LEFT, bottom - top);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        g.drawString(title, LEFT, top - 4);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int t = 0; t <= 4; t++) {
            double v = max * t / 4;
            int y = bottom - (int) ((bottom - top) * t / 4.0);
            g.setColor(new Color(0xDDDDDD));
            g.drawLine(LEFT, y, right, y);
            g.setColor(Color.BLACK);
            g.drawString(format(v), 8, y + 4);
        }
        for (int m = 0; m <= (int) maxMinute; m += Math.max(1, (int) Math.ceil(maxMinute / 15))) {
            int x = x(m, maxMinute, right);
            g.drawLine(x, bottom, x, bottom + 4);
            g.drawString(Integer.toString(m), x - 4, bottom + 16);
        }
        int legend = top + 14;
        for (Series s : series) {
            g.setColor(s.color());
            g.setStroke(new BasicStroke(2));
            int px = -1;
            int py = -1;
            for (Soak.Sample sample : samples) {
                int x = x(sample.minute(), maxMinute, right);
                int y = bottom - (int) ((bottom - top) * s.value().applyAsDouble(sample) / max);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.fillRect(right + 12, legend - 8, 12, 8);
            g.setColor(Color.BLACK);
            g.drawString(s.label(), right + 30, legend);
            legend += 16;
        }
    }

    private static int x(double minute, double maxMinute, int right) {
        return LEFT + (int) ((right - LEFT) * minute / Math.max(maxMinute, 1e-9));
    }

    private static String format(double v) {
        if (v >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1fM", v / 1_000_000);
        }
        if (v >= 10_000) {
            return String.format(Locale.ROOT, "%.0fk", v / 1000);
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.1f", v);
    }
}
