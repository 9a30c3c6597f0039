using Concord.Server.Audit;
using Concord.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Risks;

/// <summary>
/// Synthetic demo content for Pingliang (labelled as such in its text): a few listed risks, a screening
/// campaign and information reports, so the register's pages have something to show. Only on an empty
/// register; deadlines lie in the future of the moment it runs.
/// </summary>
public sealed class RiskDemo(ConcordDb db, RiskRegister register, ScreeningCampaigns campaigns, InfoReportDesk desk, TimeProvider clock, ILogger<RiskDemo> logger)
{
    public async Task SeedIfEmptyAsync(CancellationToken ct)
    {
        if (await db.Set<RiskRow>().AnyAsync(ct) || await db.Set<InfoReportRow>().AnyAsync(ct) || !await db.Units.AnyAsync(u => u.Code == "620802.rsj", ct))
        {
            return;
        }

        var now = clock.GetUtcNow();
        var system = Actor.System.Id;
        RiskDraft[] risks =
        [
            new("labour_relations", "（演示）某建筑项目拖欠农民工工资", "（合成演示数据）崆峒区某住宅项目总包单位拖欠 86 名农民工工资约 320 万元，工人多次到项目部讨要。",
                "620802001", 86, 3_200_000m, null, "620802.rsj", "区人社局局长",
                Measures: [new("约谈总包单位，核实工资表并督促支付", now.AddDays(5)), new("启用工资保证金先行垫付", now.AddDays(12))]),
            new("real_estate", "（演示）某小区逾期交房", "（合成演示数据）某小区二期逾期交房 14 个月，涉及 240 户业主。",
                "620802", null, null, 240, "620802.zjj", "区政府分管副区长",
                Measures: [new("成立工作专班，制定复工计划", now.AddDays(10))]),
            new("economy_finance", "（演示）某投资公司高息揽储线索", "（合成演示数据）泾川县某投资公司以高息为诱饵吸收老年人资金，涉及约 60 人。",
                "620821", 60, 1_800_000m, null, "620821.gov", "县政府分管副县长"),
            new("work_safety", "（演示）城区燃气管道老化", "（合成演示数据）老旧小区燃气立管锈蚀，需排查更换。",
                "620802001", null, null, 35, "620800.rqgs", "公司总经理",
                Measures: [new("完成入户排查", now.AddDays(20))]),
        ];
        foreach (var draft in risks)
        {
            var outcome = await register.CreateAsync(draft, system, RiskRegister.Everything, ct);
            if (!outcome.Succeeded)
            {
                logger.LogWarning("A demo risk was refused: {Errors}", string.Join("; ", outcome.Errors.Select(e => $"{e.Field} {e.MessageKey}")));
                return;
            }
        }

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, register.Zone).DateTime);
        await campaigns.OpenAsync(new CampaignDraft("（演示）岁末年初欠薪问题专项排查", "labour_relations", today, today.AddDays(30), today.AddDays(14),
            ["620802.gov", "620821.gov", "620802.rsj", "620800.rsj"]), system, ct);

        await desk.FileAsync(new ReportDraft("（演示）某商户预付卡纠纷可能聚集", "（合成演示数据）某健身房停业，会员约 150 人在群内相约到门店维权。",
            "620802001", "consumer_rights", "会员约150人", 150, "rising", "urgent", now.AddHours(-1)), "620800.gaj", system, ct);
        await desk.FileAsync(new ReportDraft("（演示）网上出现某楼盘业主维权帖", "（合成演示数据）本地论坛出现某楼盘业主维权帖，转发较多。",
            "620802", "real_estate", "转发约2000次", null, "stable", "routine", now.AddHours(-3)), "620800.wxb", system, ct);
        logger.LogInformation("Risk register demo loaded: {Risks} synthetic risks, a campaign and two reports", risks.Length);
    }
}
