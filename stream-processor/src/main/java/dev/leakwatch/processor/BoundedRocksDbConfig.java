package dev.leakwatch.processor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.CompressionType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Caps the native memory of every RocksDB store of the JVM: all stores share one LRU block cache,
 * and their memtables are charged to that same cache through one {@link WriteBufferManager}, so
 * off-heap use stays near {@value #BLOCK_CACHE_BYTES} however many stores and partitions a process
 * holds. Store files are LZ4-compressed.
 *
 * <p>Kafka Streams instantiates this class once per store, so the cache and manager are
 * process-wide singletons keyed by their sizes (two Streams instances in one JVM with the same
 * sizes share them). They are deliberately never closed in {@link #close}: other stores still use
 * them, and RocksDB's own guidance for shared objects is to keep them for the process lifetime.
 *
 * <p>Configuration comes from the Streams properties (custom keys are passed through):
 * <ul>
 *   <li>{@value #BLOCK_CACHE_BYTES}: total bytes of the shared cache (memtables included);
 *       default 64 MiB.
 *   <li>{@value #WRITE_BUFFER_BYTES}: of which memtables may take at most this many bytes;
 *       default a quarter of the cache.
 * </ul>
 */
public final class BoundedRocksDbConfig implements RocksDBConfigSetter {

  /** Streams property: size in bytes of the shared block cache. */
  public static final String BLOCK_CACHE_BYTES = "leakwatch.rocksdb.block.cache.bytes";
  /** Streams property: bytes of the cache that memtables may use. */
  public static final String WRITE_BUFFER_BYTES = "leakwatch.rocksdb.write.buffer.bytes";

  static final long DEFAULT_BLOCK_CACHE_BYTES = 64L << 20;
  /** Index and filter blocks get this share of the cache with high priority, so data blocks cannot evict them. */
  private static final double HIGH_PRIORITY_POOL_RATIO = 0.1;
  /** Memtable size per store: small, because the write buffer manager bounds their sum anyway. */
  private static final long MEMTABLE_BYTES = 2L << 20;
  /**
   * Memtable arena blocks. Each is charged to the write buffer manager whole as soon as the memtable
   * takes it; at RocksDB's default (an eighth of the memtable) a processor with dozens of stores
   * looked full to the manager after a few writes each, and it flushed memtables of a few KB many
   * times a second, stalling writes behind the compactions of the small files.
   */
  private static final long ARENA_BLOCK_BYTES = 64L << 10;
  private static final int MAX_MEMTABLES = 3;

  private static final Map<Sizes, Shared> SHARED = new ConcurrentHashMap<>();

  private record Sizes(long cacheBytes, long writeBufferBytes) {}

  private record Shared(Cache cache, WriteBufferManager writeBuffers) {}

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    Shared shared = SHARED.computeIfAbsent(sizesFrom(configs), BoundedRocksDbConfig::create);
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(shared.cache());
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setTableFormatConfig(table);
    options.setWriteBufferManager(shared.writeBuffers());
    options.setWriteBufferSize(MEMTABLE_BYTES);
    options.setMaxWriteBufferNumber(MAX_MEMTABLES);
    options.setArenaBlockSize(ARENA_BLOCK_BYTES);
    // Streams leaves store files uncompressed. Series and windows are varints of similar size and
    // repeated keys: LZ4 shrinks them at a CPU cost far below the topology's own.
    options.setCompressionType(CompressionType.LZ4_COMPRESSION);
  }

  @Override
  public void close(String storeName, Options options) {
    // The cache and write buffer manager are shared by every store of the process: keep them.
  }

  /** The sizes configured in {@code configs}, validated; package-private for tests. */
  static Sizes sizesFrom(Map<String, Object> configs) {
    long cache = positiveLong(configs, BLOCK_CACHE_BYTES, DEFAULT_BLOCK_CACHE_BYTES);
    long writeBuffers = positiveLong(configs, WRITE_BUFFER_BYTES, cache / 4);
    if (writeBuffers > cache) {
      throw new ConfigException(WRITE_BUFFER_BYTES, writeBuffers,
          "must not exceed " + BLOCK_CACHE_BYTES + " (" + cache + "): memtables are charged to the cache");
    }
    return new Sizes(cache, writeBuffers);
  }

  private static long positiveLong(Map<String, Object> configs, String key, long fallback) {
    Object raw = configs.get(key);
    if (raw == null) {
      return fallback;
    }
    long value;
    try {
      value = raw instanceof Number n ? n.longValue() : Long.parseLong(raw.toString().trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, raw, "expected a number of bytes");
    }
    if (value <= 0) {
      throw new ConfigException(key, raw, "must be positive");
    }
    return value;
  }

  private static Shared create(Sizes sizes) {
    Cache cache = new LRUCache(sizes.cacheBytes(), -1, false, HIGH_PRIORITY_POOL_RATIO);
    return new Shared(cache, new WriteBufferManager(sizes.writeBufferBytes(), cache));
  }
}
