/**
 * Campaigns (docs/campaigns.md): a plan file ({@link org.finwidth.sim.campaign.PlanParser}) resolved
 * into runs with stable keys and derived seeds ({@link org.finwidth.sim.campaign.CampaignRun}), the
 * campaign directory and its ownership marker ({@link org.finwidth.sim.campaign.CampaignDir}), the
 * resolved runs on disk ({@link org.finwidth.sim.campaign.RunsFile}) and the report
 * ({@link org.finwidth.sim.campaign.CampaignReport}). The commands are
 * {@link org.finwidth.sim.cli.CampaignCommand}'s.
 */
package org.finwidth.sim.campaign;
