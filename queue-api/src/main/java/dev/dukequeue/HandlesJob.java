package dev.dukequeue;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a CDI bean implementing {@link JobHandler} to the job type it runs. Exactly one handler per type per
 * deployment; the engine refuses to start when two beans claim the same type. A node only claims jobs of the
 * types it has handlers for, so several applications with different handlers can share one database.
 *
 * <pre>{@code
 * @ApplicationScoped
 * @HandlesJob("invoice.send")
 * public class SendInvoice implements JobHandler<InvoiceRef> {
 *     public Object handle(InvoiceRef ref, JobContext context) { ... }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface HandlesJob {

    /** @return the job type, following the same rule as {@link JobRequest#type()} */
    String value();
}
