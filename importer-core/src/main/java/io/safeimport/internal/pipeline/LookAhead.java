package io.safeimport.internal.pipeline;

import io.safeimport.internal.audit.StepTimer;
import io.safeimport.internal.db.Database;
import io.safeimport.internal.plan.RowStore;
import io.safeimport.spi.Catalog;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;

/**
 * Reads what planning needs for the next chunks on other connections while this thread plans
 * the current one: planning is CPU work and the lookups are mostly waiting for the database,
 * so on a large file the two overlap instead of adding up. {@link #READERS} connections read
 * {@link #READERS} chunks at once (a server answers two index lookups on two cores); where the
 * file lists a large table's rows in id order they are read by page instead ({@link IdOrder}). Chunks
 * are planned strictly in file order, each with the lookup of exactly its own rows; nothing is
 * written to the database while planning, so reading ahead sees what reading in step would
 * have seen.
 */
final class LookAhead implements AutoCloseable {
    static final int READERS = 2;
    /** {@code -Dsafeimport.idOrder=false} looks every chunk up by key ({@link IdOrder} off). */
    static final boolean FOLLOW_ID_ORDER = !"false".equalsIgnoreCase(System.getProperty("safeimport.idOrder", "true"));

    private final Database db;
    private final Catalog catalog;
    private final StepTimer timer;
    private ExecutorService readers;
    /** Each reader thread's own connection: a JDBC connection serves one thread at a time. */
    private final List<Handle> handles = Collections.synchronizedList(new ArrayList<>());
    private final ThreadLocal<RowStore> stores = new ThreadLocal<>();
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    /** Reads the stored rows of a file in id order by page; chunks are numbered in file order for it. */
    private final IdOrder idOrder;
    private int submitted;

    /** A chunk whose lookup is under way, and the planner that plans it once the lookup is done. */
    private record InFlight(Future<Planner.Lookup> lookup, List<Planner.Mapped> chunk, Planner planner) {
    }

    /** @param ahead rows {@link IdOrder} may read ahead of the chunks */
    LookAhead(Database db, Catalog catalog, StepTimer timer, int ahead) {
        this.catalog = catalog;
        this.idOrder = new IdOrder(ahead);
        this.db = db;
        this.timer = timer;
    }

    /** Starts the lookup of {@code chunk}; plans the oldest chunk in flight once {@link #READERS} are. */
    void submit(List<Planner.Mapped> chunk, Planner planner) {
        if (chunk.isEmpty()) {
            return;
        }
        if (readers == null) {
            AtomicInteger n = new AtomicInteger();
            readers = Executors.newFixedThreadPool(READERS, r -> {
                Thread t = new Thread(r, "safeimport-lookahead-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        int seq = submitted++;
        Future<Planner.Lookup> next;
        try {
            next = readers.submit(() -> Planner.lookup(store(), chunk, timer, FOLLOW_ID_ORDER ? idOrder : null, seq));
        } catch (RuntimeException e) {
            idOrder.finish(seq);
            throw e;
        }
        inFlight.addLast(new InFlight(next, chunk, planner));
        if (inFlight.size() > READERS) {
            planOldest();
        }
    }

    private RowStore store() {
        RowStore store = stores.get();
        if (store == null) {
            Handle h = db.open();
            handles.add(h);
            store = new RowStore(h, db.dialect(), catalog, true).rememberIds();
            stores.set(store);
        }
        return store;
    }

    /** Plans every chunk still in flight, in order. */
    void drain() {
        while (!inFlight.isEmpty()) {
            planOldest();
        }
    }

    private void planOldest() {
        InFlight oldest = inFlight.removeFirst();
        long waitStart = System.nanoTime();
        Planner.Lookup lookup = ImportPipeline.await(oldest.lookup(), "planning");
        timer.add("plan.wait", System.nanoTime() - waitStart);
        oldest.planner().plan(oldest.chunk(), lookup);
    }

    @Override
    public void close() {
        if (readers == null) {
            return;
        }
        idOrder.close(); // a reader waiting for a cancelled chunk's turn goes on by key
        for (InFlight f : inFlight) {
            f.lookup().cancel(false);
        }
        inFlight.clear();
        readers.shutdown();
        try {
            // let a lookup still running finish before its connection is closed under it
            readers.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (handles) {
            for (Handle h : handles) {
                try {
                    h.close();
                } catch (RuntimeException e) {
                    // the connection is gone already
                }
            }
        }
    }
}
