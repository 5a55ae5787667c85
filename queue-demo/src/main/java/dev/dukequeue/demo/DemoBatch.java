package dev.dukequeue.demo;

import dev.dukequeue.HandlesJob;
import dev.dukequeue.engine.batch.JakartaBatchHandler;
import dev.dukequeue.engine.config.DemoHandler;
import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.batch.api.chunk.ItemProcessor;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Properties;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * {@code demo.batch} {"items": n, "itemMs": m}: the Jakarta Batch job {@code dukequeue-demo-batch} run as a DukeQueue
 * job. It counts from 1 to n in chunks of five and appends each written item to
 * {@code <data dir>/demo-batch/<job instance>.items}, so a test can see which items ran, and how often, across a crash.
 */
public final class DemoBatch {

    private DemoBatch() {
    }

    /** The DukeQueue side: starts, follows and restarts the batch job. */
    @ApplicationScoped
    @DemoHandler
    @HandlesJob("demo.batch")
    public static class Handler extends JakartaBatchHandler {
        @Override
        protected String jobXmlName() {
            return "dukequeue-demo-batch";
        }
    }

    private static Properties parameters(JobContext context) {
        Properties p = BatchRuntime.getJobOperator().getParameters(context.getExecutionId());
        return p == null ? new Properties() : p;
    }

    /** Reads 1..items; its checkpoint is the last item read. */
    @Named("dukequeueDemoReader")
    @Dependent
    public static class Reader extends AbstractItemReader {
        @Inject
        JobContext context;

        private int last;
        private int items;

        @Override
        public void open(Serializable checkpoint) {
            items = Integer.parseInt(parameters(context).getProperty("items", "10"));
            last = checkpoint instanceof Integer i ? i : 0;
        }

        @Override
        public Object readItem() {
            return last < items ? ++last : null;
        }

        @Override
        public Serializable checkpointInfo() {
            return last;
        }
    }

    /** Takes {@code itemMs} per item. */
    @Named("dukequeueDemoProcessor")
    @Dependent
    public static class Processor implements ItemProcessor {
        @Inject
        JobContext context;

        @Override
        public Object processItem(Object item) throws Exception {
            Thread.sleep(Long.parseLong(parameters(context).getProperty("itemMs", "0")));
            return item;
        }
    }

    /** Appends the chunk's items to the instance's file and forces it to disk. */
    @Named("dukequeueDemoWriter")
    @Dependent
    public static class Writer extends AbstractItemWriter {
        @Inject
        JobContext context;

        @Override
        public void writeItems(List<Object> items) {
            String dataDir = ConfigProvider.getConfig(DemoBatch.class.getClassLoader())
                    .getOptionalValue("dukequeue.data.dir", String.class).orElse("data");
            Path file = Path.of(dataDir, "demo-batch", context.getInstanceId() + ".items");
            StringBuilder lines = new StringBuilder();
            items.forEach(i -> lines.append(i).append('\n'));
            try {
                Files.createDirectories(file.getParent());
                try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                        StandardOpenOption.WRITE)) {
                    out.write(ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8)));
                    out.force(true);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("demo.batch cannot write " + file, e);
            }
        }
    }
}
