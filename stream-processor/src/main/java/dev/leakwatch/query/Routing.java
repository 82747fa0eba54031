package dev.leakwatch.query;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.IntFunction;

/**
 * Answers a question about one key on the instance that owns it: computes it here when this
 * instance's active task holds the key's partition, or forwards the request to the owner's
 * {@code application.server}. Retries (bounded, see {@link Retry}) while ownership moves; a request
 * that was itself forwarded is never forwarded again.
 */
public final class Routing {

  private final KeyRouter router;
  private final PeerClient peers;
  private final Retry retry;

  public Routing(KeyRouter router, PeerClient peers, Retry retry) {
    this.router = router;
    this.peers = peers;
    this.retry = retry;
  }

  /**
   * The answer for {@code key} of {@code store}: {@code local} applied to the key's partition if
   * this instance owns it, else the owner's response to the same request.
   */
  public <T> Routed<T> route(Call call, String store, String key, IntFunction<T> local) {
    return retry.run(() -> {
      KeyRouter.Owner owner = router.owner(store, key);
      if (owner.local()) {
        return new Routed.Local<>(local.apply(owner.partition()), KeyRouter.name(router.self()));
      }
      if (call.forwarded()) {
        throw notHere(store, key, owner);
      }
      PeerResponse r = ask(owner, call.pathAndQuery());
      if (r.status() == 503) {
        throw ErrorBody.toException(r, KeyRouter.name(owner.host()));
      }
      return new Routed.Forwarded<>(r, KeyRouter.name(owner.host()));
    });
  }

  /**
   * Like {@link #route}, but returns the answer as a value: a forwarded JSON answer is read back as
   * {@code type}, a forwarded error thrown as the same exception. For lookups that feed a larger
   * answer; {@code pathAndQuery} is the resource of the owner that answers it.
   */
  public <T> T fetch(String pathAndQuery, String store, String key, IntFunction<T> local, Class<T> type) {
    return retry.run(() -> {
      KeyRouter.Owner owner = router.owner(store, key);
      if (owner.local()) {
        return local.apply(owner.partition());
      }
      PeerResponse r = ask(owner, pathAndQuery);
      String from = KeyRouter.name(owner.host());
      if (!r.ok()) {
        throw ErrorBody.toException(r, from);
      }
      return JsonCodec.read(r.body(), type, from);
    });
  }

  private PeerResponse ask(KeyRouter.Owner owner, String pathAndQuery) {
    try {
      return peers.get(owner.host(), pathAndQuery).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof UnavailableException u) {
        throw u;
      }
      throw new UnavailableException("owner " + KeyRouter.name(owner.host()) + " of partition " + owner.partition()
          + " failed: " + e.getCause());
    }
  }

  private static UnavailableException notHere(String store, String key, KeyRouter.Owner owner) {
    return new UnavailableException("key '" + key + "' of store " + store + " was forwarded here but is owned by "
        + KeyRouter.name(owner.host()) + " (partition " + owner.partition() + "): ownership is moving",
        true, List.of("partition " + owner.partition() + " of " + store + ": owner " + KeyRouter.name(owner.host())));
  }
}
