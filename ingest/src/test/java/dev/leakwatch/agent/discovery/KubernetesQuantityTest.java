package dev.leakwatch.agent.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Kubernetes quantities as memory limits, by the API's notation. */
class KubernetesQuantityTest {

  @ParameterizedTest(name = "{0} = {1} bytes")
  @CsvSource({
    "536870912,536870912",
    "+128,128",
    "1Ki,1024", "512Mi,536870912", "1Gi,1073741824", "2Ti,2199023255552",
    "1Pi,1125899906842624", "1Ei,1152921504606846976",
    "1k,1000", "256M,256000000", "2G,2000000000", "1T,1000000000000", "1P,1000000000000000",
    "1E,1000000000000000000",
    "1.5Gi,1610612736", "0.5Mi,524288", ".5Ki,512", "1.5G,1500000000",
    "1e3,1000", "5E6,5000000", "129e6,129000000", "1e+3,1000", "15e-1,2",
    "1500m,2", "1m,1", "1u,1", "1n,1"
  })
  void shouldReadQuantitiesAsWholeBytesRoundingUp(String text, long bytes) {
    KubernetesQuantity.Result r = KubernetesQuantity.bytes(text);
    assertNull(r.problem(), r.problem());
    assertEquals(bytes, r.bytes());
  }

  @ParameterizedTest(name = "''{0}'' is refused")
  @ValueSource(strings = {
    "", "Gi", "-1Gi", "1GB", "1gi", "1 Gi", "1.2.3Mi", "1e", "1e999", "0", "0Mi", "20Ei",
    "9223372036854775808", "lots", "1Gi1"
  })
  void shouldRefuseWhatIsNotAUsableQuantity(String text) {
    assertNotNull(KubernetesQuantity.bytes(text).problem());
  }
}
