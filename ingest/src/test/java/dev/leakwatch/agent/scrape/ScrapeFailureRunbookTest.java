package dev.leakwatch.agent.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.schemas.testing.DocTables;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The runbook an operator opens when targets fail (docs/OPERATIONS.md, LeakwatchAgentTargetsFailing)
 * tells the causes by the {@code reason} label of {@code leakwatch_agent_scrape_failures_total}: it
 * must explain every value the agent counts, under the value the agent gives it (a heap, goroutine or
 * allocs profile answered with 404 is counted as {@code not_served}, see {@code TargetLoopTest}).
 */
class ScrapeFailureRunbookTest {

  @Test
  void shouldExplainEveryScrapeFailureReasonInTheTargetsFailingRunbookUnderTheLabelTheAgentCounts() {
    String runbook = DocTables.read("docs/OPERATIONS.md");
    int section = runbook.indexOf("### LeakwatchAgentTargetsFailing");
    int from = runbook.indexOf("**Likely causes, by reason**", section);
    String causes = runbook.substring(from, runbook.indexOf("**Do.**", from));

    List<String> unexplained = Arrays.stream(ScrapeFailure.Reason.values()).map(ScrapeFailure.Reason::tag)
        .filter(tag -> !DocTables.code(causes).contains(tag)).toList();

    assertEquals(List.of(), unexplained, "reasons the runbook does not explain:\n" + causes);
    String notServed = causes.substring(causes.indexOf("`not_served`"));
    assertTrue(notServed.substring(0, notServed.indexOf(';')).contains("404"),
        "a 404 is counted as not_served: " + causes);
  }
}
