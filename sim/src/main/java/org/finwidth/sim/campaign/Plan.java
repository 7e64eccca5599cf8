package org.finwidth.sim.campaign;

import java.util.List;

/**
 * A campaign plan, parsed and resolved ({@link PlanParser}; format: docs/campaigns.md): its name,
 * base seed and runs in plan order (the grid's, then the explicit ones).
 *
 * @param name the campaign's name
 * @param description a line of text for the report (may be empty)
 * @param seed the base seed every run's seed derives from ({@link CampaignRun#deriveSeed})
 * @param file the plan file as the user named it
 * @param text the plan file's text
 * @param runs the runs, in plan order, keys distinct
 */
public record Plan(String name, String description, long seed, String file, String text, List<CampaignRun> runs) {
  /** A plan of more runs than this is refused without {@code --force}. */
  public static final int MAX_RUNS = 1000;

  public Plan {
    runs = List.copyOf(runs);
  }

  /** The run of a key, or null. */
  public CampaignRun run(String key) {
    for (CampaignRun r : runs) {
      if (r.key().equals(key)) {
        return r;
      }
    }
    return null;
  }

  /** The total number of networks of all runs. */
  public long totalNetworks() {
    long n = 0;
    for (CampaignRun r : runs) {
      n += r.networks();
    }
    return n;
  }
}
