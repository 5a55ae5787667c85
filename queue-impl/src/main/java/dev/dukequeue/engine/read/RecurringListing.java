package dev.dukequeue.engine.read;

import dev.dukequeue.RecurringJob;
import dev.dukequeue.engine.schedule.RecurringJobs;
import dev.dukequeue.engine.database.DatabaseGuard;
import dev.dukequeue.engine.store.JdbcJobStore;
import dev.dukequeue.engine.store.ScheduleState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The recurring jobs for operators: the definitions this node holds (only {@link RecurringJobs} knows them) joined with
 * their next and last runs, which the database keeps for the whole cluster.
 */
@ApplicationScoped
public class RecurringListing {

    @Inject
    RecurringJobs recurring;

    @Inject
    JdbcJobStore store;

    @Inject
    DatabaseGuard database;

    /** @return the recurring jobs this node defines, by name, with their next and last runs */
    @Transactional(TxType.NOT_SUPPORTED)
    public List<RecurringView> views() {
        Map<String, ScheduleState> states = new TreeMap<>();
        database.call("reading schedules", () -> store.schedules()).forEach(s -> states.put(s.name(), s));
        List<RecurringView> views = new ArrayList<>();
        recurring.definitions().forEach((name, job) -> {
            ScheduleState st = states.get(name);
            views.add(new RecurringView(name, job.cron(), job.zone().getId(), job.job().type(), job.job().queue(),
                    st == null ? null : st.nextRunAt(), st == null ? null : st.lastRunAt(),
                    st == null ? null : st.lastJobId()));
        });
        return views;
    }
}
