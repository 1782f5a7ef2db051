package io.backbone.platform.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Keeps registry state for the lifetime of the process only; for unit tests that have no broker. */
final class MemorySchemaStore implements SchemaStore {
    private final List<StoreEntry> entries = new ArrayList<>();

    @Override
    public synchronized void replay(Consumer<StoreEntry> apply) {
        entries.forEach(apply);
    }

    @Override
    public synchronized void append(StoreEntry entry) {
        entries.add(entry);
    }

    @Override
    public void close() {}
}
