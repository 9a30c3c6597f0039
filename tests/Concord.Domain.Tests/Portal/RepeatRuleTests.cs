using Concord.Domain.Portal;

namespace Concord.Domain.Tests.Portal;

public sealed class RepeatRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly TimeSpan Day = TimeSpan.FromHours(24);

    [Fact]
    public void Near_identical_text_from_anyone_joins_the_earliest_group()
    {
        EarlierSubmission[] earlier =
        [
            new(7, 7, "client-a", null, "小区门口的井盖丢了，晚上很危险！", Now.AddHours(-3)),
            new(9, 7, "client-b", null, "小区门口的井盖丢了 晚上很危险", Now.AddHours(-1)),
        ];
        Assert.Equal(7, RepeatRule.GroupOf("client-c", null, "小区门口的井盖丢了，晚上很危险。", Now, Day, earlier));
    }

    [Fact]
    public void A_similar_text_groups_only_from_the_same_client_or_phone()
    {
        EarlierSubmission[] earlier = [new(3, 3, "client-a", "phone-1", "工地老板欠我三个月工资不给", Now.AddHours(-2))];
        const string text = "工地老板欠我三个月的工资不给";
        Assert.InRange(RepeatRule.Similarity(text, earlier[0].Text), RepeatRule.SimilarTextFromSameSource, RepeatRule.SameTextFromAnyone);
        Assert.Null(RepeatRule.GroupOf("client-b", "phone-2", text, Now, Day, earlier));
        Assert.Equal(3, RepeatRule.GroupOf("client-a", "phone-2", text, Now, Day, earlier));
        Assert.Equal(3, RepeatRule.GroupOf("client-b", "phone-1", text, Now, Day, earlier));
    }

    [Fact]
    public void Different_texts_and_old_submissions_stand_alone()
    {
        EarlierSubmission[] earlier =
        [
            new(3, 3, "client-a", null, "工地老板欠我三个月工资不给", Now.AddHours(-2)),
            new(4, 4, "client-a", null, "楼道里堆满杂物，着火了跑不出去", Now.AddDays(-2)),
        ];
        Assert.Null(RepeatRule.GroupOf("client-a", null, "邻居家装修天天半夜施工太吵了", Now, Day, earlier));
        Assert.Null(RepeatRule.GroupOf("client-a", null, "楼道里堆满杂物，着火了跑不出去", Now, Day, earlier));
    }
}
