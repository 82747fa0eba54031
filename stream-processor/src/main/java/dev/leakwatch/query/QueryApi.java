package dev.leakwatch.query;

import dev.leakwatch.detect.ProfileKind;
import java.util.List;
import java.util.Set;

/**
 * Every question the HTTP API answers, with validated arguments. Questions about one key are
 * {@link Routed} (answered by the owner); questions about everything fan out to every instance;
 * {@code ...Part} methods are one instance's share of a fan-out. All methods throw {@link
 * QueryException}s for answers that cannot be given.
 */
public interface QueryApi {

  /**
   * A page of the services with their profile types, latest capture, instance counts and the first
   * {@code instances} instances of each.
   */
  CatalogAnswers.Services services(ServicePage page, int instances);

  /** One service of {@link #services} with a page of its instances; 404 when no instance has a series of it. */
  CatalogAnswers.ServiceInstances service(String service, InstancePage page);

  /** A service's suspect counts and a page of its live instances. */
  Routed<CatalogAnswers.LiveService> live(Call call, String service, InstancePage page);

  Routed<StackAnswers.Top> top(Call call, StackRequests.Top request);

  Routed<StackAnswers.Diff> diff(Call call, StackRequests.Diff request);

  /** The gzip'd pprof bytes of a merged or diff profile. */
  Routed<byte[]> profile(Call call, StackRequests.Profile request);

  /** A page of the current suspects of every service. */
  SuspectAnswers.Listing suspects(SuspectFilter filter, SuspectPage page);

  /** One suspect, wherever its service lives, with its instances' labels; 404 when unknown. */
  SuspectAnswers.Detail suspect(String id);

  Routed<SuspectAnswers.SuspectList> serviceSuspects(Call call, String service, SuspectFilter filter);

  /**
   * One suspect of a service, with its instances' labels when a client asked; a forwarded call (another
   * instance asking) gets the owner's suspect alone, without them.
   */
  Routed<SuspectAnswers.Detail> serviceSuspect(Call call, String service, String id);

  Routed<SuspectAnswers.History> history(Call call, String service, RangeSpec range, int limit);

  /**
   * A site's series per instance: on {@code instance} only (routed to its owner; {@code page} is
   * then unused) or, when null, on {@code page} of the service's live instances, by name.
   */
  Routed<SeriesAnswers.SiteSeries> siteSeries(Call call, String service, long siteId, ProfileKind kind,
      String instance, RangeSpec range, InstancePage page);

  /** The series behind a current suspect, on {@code page} of the live instances of its service. */
  SeriesAnswers.SiteSeries suspectSeries(String service, String id, RangeSpec range, InstancePage page);

  /**
   * One instance's part of the listing: {@code service}'s entries, or when null, {@code page}'s; of
   * each service, the entries of the instances of {@code instances}.
   */
  CatalogAnswers.Part servicesPart(Set<Integer> partitions, String service, ServicePage page,
      InstancePage instances);

  /**
   * One instance's part of a site's series across a service's instances: every instance of {@code
   * service} within {@code span} with a series of {@code kind} in {@code partitions}, dead ones
   * included (the asking instance keeps the live ones of its page).
   */
  SeriesAnswers.SiteSeries seriesPart(Set<Integer> partitions, String service, long siteId, ProfileKind kind,
      RangeSpec range, InstanceSpan span);

  /**
   * One instance's part of the labels of a page of a service's live instances: each instance of
   * {@code service} within {@code span} with a series in {@code partitions}, dead ones included.
   */
  CatalogAnswers.LabelsPart labelsPart(Set<Integer> partitions, String service, InstanceSpan span);

  /** At most a page of the current suspects of the services in {@code partitions}. */
  SuspectAnswers.Part suspectsPart(Set<Integer> partitions, SuspectFilter filter, SuspectPage page);

  SuspectAnswers.Part suspectPart(Set<Integer> partitions, String id);

  /** Why this instance is not ready to answer; empty when it is. */
  List<String> readinessProblems();

  /** The longest time range a query may ask for, ms. */
  long maxSpanMs();
}
