package dev.leakwatch.detect.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PoissonTest {

    @Test
    void shouldSumTheProbabilityMassUpToK() {
        // P(N<=0 | 2) = e^-2; P(N<=1 | 2) = e^-2 (1 + 2) = 3e^-2; P(N<=2 | 1) = e^-1 (1 + 1 + 1/2)
        assertEquals(Math.exp(-2), Poisson.cdf(0, 2), 1e-15);
        assertEquals(3 * Math.exp(-2), Poisson.cdf(1, 2), 1e-15);
        assertEquals(2.5 * Math.exp(-1), Poisson.cdf(2, 1), 1e-15);
    }

    @Test
    void shouldStayFiniteForLargeMeans() {
        // P(N<=5 | 800) = e^-800 * sum(800^i/i!) underflows to 0 but must not be NaN
        assertEquals(0.0, Poisson.cdf(5, 800), 1e-300);
        assertEquals(1.0, Poisson.cdf(3, 0), 0.0);
    }

    @Test
    void shouldRejectNegativeArguments() {
        assertThrows(IllegalArgumentException.class, () -> Poisson.cdf(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> Poisson.cdf(1, -1));
    }
}
