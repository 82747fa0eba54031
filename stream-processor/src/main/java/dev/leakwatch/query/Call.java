package dev.leakwatch.query;

import java.util.Objects;

/**
 * The request being answered, as far as routing cares.
 *
 * @param pathAndQuery the request's path and query string exactly as received (forwarded as is to
 *     the owner of the key), e.g. {@code /api/v1/services/orders/top?metric=inuse_space}
 * @param forwarded true when another instance forwarded it here: it is answered locally or refused,
 *     never forwarded again (no loops while ownership moves)
 */
public record Call(String pathAndQuery, boolean forwarded) {

  public Call {
    Objects.requireNonNull(pathAndQuery, "pathAndQuery");
  }
}
