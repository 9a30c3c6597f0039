using Concord.Domain.Suggestions;

namespace Concord.Domain.Tests.Suggestions;

public sealed class SuggestionModelTests
{
    private const string Kongtong = "620802";
    private const string Dongguan = "620802001";
    private const string Jingchuan = "620821";

    private static MatterText At(string text, string county = Kongtong, string? township = Dongguan) => new(text, county, township);

    private static SuggestionModel Trained(int repeat = 6)
    {
        // A tiny history: trusted as if grown (historyDamping 0), so that the rules show on few examples.
        var model = new SuggestionModel(historyDamping: 0);
        for (var i = 0; i < repeat; i++)
        {
            model.Learn(new(At($"工地老板拖欠工资{i}个月，工人讨薪无门"), "020101", "620802.rsj"));
            model.Learn(new(At($"楼上装修噪音扰民，晚上{i}点还在施工"), "1602", "620802.gaj"));
            model.Learn(new(At($"小区物业乱收费，物业费涨了{i}成"), "0305", "620802.zjj"));
        }

        return model;
    }

    [Fact]
    public void Character_grams_are_the_unigrams_and_bigrams_of_each_run_of_letters_and_digits()
    {
        var grams = TextFeatures.CharacterGrams("欠薪！ＡB").ToList();
        Assert.Equal(["欠", "欠薪", "薪", "a", "ab", "b"], grams);
    }

    [Fact]
    public void Features_carry_the_place_and_the_words_once_each()
    {
        var features = TextFeatures.Of("噪音噪音", Kongtong, Dongguan);
        Assert.Contains("w:噪音", features);
        Assert.Contains("county:" + Kongtong, features);
        Assert.Contains("town:" + Dongguan, features);
        Assert.Equal(features.Count, features.Distinct().Count());
    }

    [Fact]
    public void A_swapped_tokenizer_is_used_for_features()
    {
        var model = new SuggestionModel(text => text.Split(' '));
        Assert.Contains("w:欠薪 问题".Split(' ')[0], model.FeaturesOf(At("欠薪 问题")));
        Assert.DoesNotContain("w:欠", model.FeaturesOf(At("欠薪 问题")));
    }

    [Fact]
    public void It_suggests_the_category_and_unit_learned_for_similar_texts_with_the_driving_words()
    {
        var (category, unit) = Trained().Suggest(At("反映某工地拖欠农民工工资"));
        Assert.Equal("020101", category.Suggested?.Label);
        Assert.Equal("620802.rsj", unit.Suggested?.Label);
        Assert.InRange(category.Suggested!.Confidence, 0.5, 1.0);
        Assert.Contains(category.DrivingWords, w => w is "拖欠" or "工资" or "欠工" or "工地");
        // The place alone does not drive it: all three were learned at the same place.
        Assert.DoesNotContain("county:" + Kongtong, category.DrivingWords);
    }

    [Fact]
    public void Confidences_are_a_distribution_over_the_top_labels_best_first()
    {
        var (category, _) = Trained().Suggest(At("装修噪音"), k: 3);
        Assert.Equal(3, category.Top.Count);
        Assert.True(category.Top.Zip(category.Top.Skip(1)).All(p => p.First.Confidence >= p.Second.Confidence));
        // Discounted for evidence, the confidences sum to at most 1: the rest is "do not know".
        Assert.InRange(category.Top.Sum(t => t.Confidence), 0.5, 1.0);
        Assert.Equal("1602", category.Top[0].Label);
    }

    [Fact]
    public void Below_the_threshold_there_is_no_suggestion_only_the_ranking()
    {
        // A text with nothing the model has seen a decision for.
        var (category, unit) = Trained().Suggest(At("山羊", Jingchuan, null));
        Assert.Null(category.Suggested);
        Assert.Null(unit.Suggested);
        Assert.Empty(category.DrivingWords);

        // A text that speaks of two learned things is a guess: a strict threshold refuses it, a lax one takes it.
        var mixed = At("物业收费，工地欠薪");
        var lax = SuggestionModel.Deserialize(Trained().Serialize(), threshold: 0.3, historyDamping: 0).Suggest(mixed).Category;
        Assert.NotNull(lax.Suggested);
        Assert.InRange(lax.Suggested!.Confidence, 0.3, 0.9);
        var strict = SuggestionModel.Deserialize(Trained().Serialize(), threshold: 0.9, historyDamping: 0);
        Assert.Null(strict.Suggest(mixed).Category.Suggested);
    }

    [Fact]
    public void A_young_model_is_not_sure_of_anything_yet()
    {
        // The same 18 decisions, discounted as a history of 18 (of the 100 that make a model grown up).
        var young = SuggestionModel.Deserialize(Trained().Serialize());
        var (category, unit) = young.Suggest(At("工地拖欠农民工工资"));
        Assert.Null(category.Suggested);
        Assert.Null(unit.Suggested);
        Assert.Equal("020101", category.Top[0].Label);
    }

    [Fact]
    public void An_empty_model_suggests_nothing()
    {
        var (category, unit) = new SuggestionModel().Suggest(At("工地拖欠工资"));
        Assert.Null(category.Suggested);
        Assert.Empty(unit.Top);
    }

    [Fact]
    public void Learning_a_correction_changes_the_next_suggestion()
    {
        var model = Trained();
        var noise = At("夜间广场舞噪音扰民");
        Assert.Equal("620802.gaj", model.Suggest(noise).LeadUnit.Suggested?.Label);

        // The dispatchers re-dispatch square-dance noise to urban management, again and again.
        for (var i = 0; i < 8; i++)
        {
            var wrong = new DispatchDecision(At($"广场舞噪音扰民第{i}次"), "1602", "620802.gaj");
            model.Learn(wrong);
            model.Forget(wrong);
            model.Learn(wrong with { LeadUnitCode = "620802.cgj" });
        }

        var after = model.Suggest(noise).LeadUnit;
        Assert.Equal("620802.cgj", after.Suggested?.Label);
        Assert.Contains(after.DrivingWords, w => w.Contains('广') || w.Contains('舞') || w.Contains('场'));
        // Other matters are not dragged along.
        Assert.Equal("620802.rsj", model.Suggest(At("工地拖欠工资")).LeadUnit.Suggested?.Label);
    }

    [Fact]
    public void Forgetting_an_example_restores_the_model_it_was_before()
    {
        var model = Trained();
        var before = model.Serialize();
        var decision = new DispatchDecision(At("河道非法采砂"), "0404", "620800.nyncj");
        model.Learn(decision);
        Assert.NotEqual(before, model.Serialize());
        model.Forget(decision);
        Assert.Equal(before, model.Serialize());

        // Forgetting what was never learned changes nothing.
        model.Forget(new DispatchDecision(At("河道非法采砂"), "0404", "620800.nyncj"));
        Assert.Equal(before, model.Serialize());
    }

    [Fact]
    public void A_serialized_model_answers_exactly_as_the_original()
    {
        var model = Trained();
        var copy = SuggestionModel.Deserialize(model.Serialize(), historyDamping: 0);
        var text = At("物业收费不合理，工地也欠薪");
        Assert.Equal(model.Suggest(text).Category.Top, copy.Suggest(text).Category.Top);
        Assert.Equal(model.Suggest(text).LeadUnit.Top, copy.Suggest(text).LeadUnit.Top);
        Assert.Equal(model.Decisions, copy.Decisions);
        Assert.Throws<InvalidDataException>(() => SuggestionModel.Deserialize("[]"));
    }
}
