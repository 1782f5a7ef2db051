package io.backbone.platform.registry;

import java.util.function.Consumer;

/** Durable log of the registry's state changes, replayed in order on start. */
interface SchemaStore extends AutoCloseable {

    /** Replays every stored entry, oldest first. */
    void replay(Consumer<StoreEntry> apply);

    /** Stores {@code entry} durably before the registry acknowledges it. */
    void append(StoreEntry entry);

    @Override
    void close();
}
