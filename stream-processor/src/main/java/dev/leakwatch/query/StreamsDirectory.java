package dev.leakwatch.query;

import java.util.Collection;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;

/**
 * Who holds what, as Kafka Streams sees it right now: the part of {@link KafkaStreams} that routing
 * and fan-out need (so they can be tested without a cluster). Keys are strings, partitioned by the
 * default partitioner over their UTF-8 bytes, as the topology's producers and repartition do.
 */
public interface StreamsDirectory {

  /** Every instance hosting {@code store}, with the topic partitions of its active tasks. */
  Collection<StreamsMetadata> streamsMetadataForStore(String store);

  /** The active and standby hosts and the partition of {@code key} in {@code store}. */
  KeyQueryMetadata queryMetadataForKey(String store, String key);

  /** The local instance's state, for messages. */
  KafkaStreams.State state();

  /** The directory of a running instance. */
  static StreamsDirectory of(KafkaStreams streams) {
    Serializer<String> keys = new StringSerializer();
    return new StreamsDirectory() {
      @Override
      public Collection<StreamsMetadata> streamsMetadataForStore(String store) {
        return streams.streamsMetadataForStore(store);
      }

      @Override
      public KeyQueryMetadata queryMetadataForKey(String store, String key) {
        return streams.queryMetadataForKey(store, key, keys);
      }

      @Override
      public KafkaStreams.State state() {
        return streams.state();
      }
    };
  }
}
