package dev.leakwatch.topology;

import java.util.List;

/**
 * Every name the topology gives to a store, repartition topic and processor node.
 *
 * <p>Names are part of the deployed contract: Kafka Streams derives changelog and repartition
 * topic names from them ({@code <application.id>-<name>-changelog},
 * {@code <application.id>-<name>-repartition}), so renaming one orphans its state. Topic names
 * that operators choose (input, dead letters, suspects, audit) live in {@link TopologyConfig}
 * instead.
 */
public final class TopologyNames {

  /** Default input topic: {@code ProfileEnvelope}s keyed by {@code service/instance}. */
  public static final String PROFILES_TOPIC = "leakwatch.profiles";
  /** Default dead-letter topic: original bytes and headers of envelopes that could not be used. */
  public static final String DEAD_LETTER_TOPIC = "leakwatch.profiles.dlq";
  /** Default output topic: Avro {@code LeakSuspect} events keyed by service. */
  public static final String SUSPECTS_TOPIC = "leakwatch.leak-suspects";
  /** Default audit topic: one small record per envelope that was processed (not dead-lettered). */
  public static final String AUDIT_TOPIC = "leakwatch.profiles.processed";

  /** Key-value store: the detection series per {@code service/instance/TYPE}. */
  public static final String INSTANCE_SERIES_STORE = "instance-series";
  /** Key-value store: previous cumulative counters and stack ids per {@code service/instance/TYPE}. */
  public static final String INSTANCE_SNAPSHOT_STORE = "instance-snapshot";
  /** Window store: per-service aggregate of every site for one tumbling window. */
  public static final String SERVICE_WINDOWS_STORE = "service-windows";
  /** Key-value store: stack id to frames, per service. */
  public static final String STACK_DICTIONARY_STORE = "stack-dictionary";
  /** Key-value store: per service, when each dictionary stack was last held by a window (expiry). */
  public static final String STACK_LAST_SEEN_STORE = "stack-last-seen";
  /** Key-value store: suspect lifecycle state per service. */
  public static final String SUSPECT_LIFECYCLE_STORE = "suspect-lifecycle";
  /**
   * Window store (duplicates kept): every suspect event of a service at its detection time, for
   * the query API's history; retained like the service windows.
   */
  public static final String SUSPECT_HISTORY_STORE = "suspect-history";

  /** Every state store of the topology, in topology order. */
  public static final List<String> STORES = List.of(INSTANCE_SERIES_STORE, INSTANCE_SNAPSHOT_STORE,
      SERVICE_WINDOWS_STORE, STACK_DICTIONARY_STORE, STACK_LAST_SEEN_STORE, SUSPECT_LIFECYCLE_STORE,
      SUSPECT_HISTORY_STORE);

  /** Repartition topic suffix: per-instance reports re-keyed by service. */
  public static final String REPORTS_BY_SERVICE = "instance-reports-by-service";

  /** Processor node names, in topology order. */
  public static final String SOURCE = "profiles-source";
  public static final String DECODE = "decode-envelope";
  /** Routes decoded and rejected outcomes; its branches are named {@code decode-ok}, {@code decode-failed}. */
  public static final String DECODE_SPLIT = "decode";
  public static final String DECODED_BRANCH = "decode-ok";
  public static final String FAILED_BRANCH = "decode-failed";
  public static final String DEAD_LETTER_VALUES = "dead-letter-original-bytes";
  public static final String DEAD_LETTER_SINK = "dead-letter-sink";
  public static final String AUDIT_VALUES = "audit-entry";
  public static final String AUDIT_SINK = "audit-sink";
  public static final String INSTANCE_DETECT = "instance-detect";
  public static final String SERVICE_WINDOWS = "service-windows-aggregate";
  public static final String SUSPECT_LIFECYCLE = "suspect-lifecycle";
  public static final String SUSPECTS_SINK = "suspects-sink";
  public static final String SUSPECT_HISTORY = "suspect-history-record";

  private TopologyNames() {}
}
