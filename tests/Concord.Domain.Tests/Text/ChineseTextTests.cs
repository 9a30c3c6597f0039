using Concord.Domain.Text;

namespace Concord.Domain.Tests.Text;

public sealed class ChineseTextTests
{
    [Fact]
    public void Segment_keeps_governance_terms_and_place_names_whole()
    {
        var words = ChineseText.Segment("崆峒区东关街道有商户占道经营，网格员已上报。");
        Assert.Contains("崆峒区", words);
        Assert.Contains("占道经营", words);
        Assert.Contains("网格员", words);
        Assert.DoesNotContain("，", words);
        Assert.DoesNotContain("。", words);
    }

    [Fact]
    public void Segment_lower_cases_latin_and_keeps_digits_apart_from_chinese()
    {
        var words = ChineseText.Segment("3号楼WiFi坏了");
        Assert.Equal("3", words[0]);
        Assert.Contains("wifi", words);
    }

    [Theory]
    [InlineData("公司拖欠薪资三个月", "欠薪")]
    [InlineData("反映欠薪问题", "欠薪")]
    [InlineData("楼上卫生间漏水严重", "漏水")]
    [InlineData("夜间施工噪音扰民", "噪音")]
    public void Index_terms_contain_every_two_character_piece_of_a_longer_word(string text, string query)
    {
        var terms = ChineseText.IndexTerms(text);
        Assert.Contains(query, terms);
        var words = ChineseText.QueryTerms(query);
        var word = Assert.Single(words);
        Assert.Equal(query, word.Word);
        Assert.All(word.Pieces, p => Assert.Contains(p, terms));
    }

    [Fact]
    public void Index_terms_add_dictionary_words_of_three_or_more_characters_and_count_repeats()
    {
        var terms = ChineseText.IndexTerms("占道经营，又是占道经营");
        Assert.Equal(2, terms.Count(t => t == "占道经营"));
        Assert.Equal(2, terms.Count(t => t == "占道"));
        Assert.DoesNotContain(terms, t => t.Contains('，'));
    }

    [Fact]
    public void A_lone_character_between_punctuation_is_indexed_as_itself()
    {
        Assert.Equal(["水", "ab"], ChineseText.IndexTerms("水。AB!"));
    }

    [Fact]
    public void Query_terms_split_words_so_that_they_need_not_be_adjacent_in_the_text()
    {
        var words = ChineseText.QueryTerms("小区噪音");
        Assert.Equal(["小区", "噪音"], words.Select(w => w.Word));
        var text = ChineseText.IndexTerms("小区里晚上噪音很大");
        Assert.All(words.SelectMany(w => w.Pieces), p => Assert.Contains(p, text));
    }

    [Fact]
    public void A_longer_query_word_is_its_overlapping_pieces()
    {
        var word = Assert.Single(ChineseText.QueryTerms("占道经营"));
        Assert.Equal(["占道", "道经", "经营"], word.Pieces);
    }

    [Fact]
    public void Query_drops_particles_and_duplicates()
    {
        var words = ChineseText.QueryTerms("漏水了 漏水");
        Assert.Equal(["漏水"], words.Select(w => w.Word));
    }

    [Theory]
    [InlineData(null, "required")]
    [InlineData("   ", "required")]
    [InlineData("，。！？……", "no_terms")]
    [InlineData("水", "no_terms")]
    public void Unsearchable_queries_are_refused_with_a_reason(string? q, string error)
    {
        var (query, reason) = SearchQuery.Parse(q);
        Assert.Null(query);
        Assert.Equal(error, reason);
    }

    [Fact]
    public void A_query_over_the_limit_is_too_long()
    {
        Assert.Equal("too_long", SearchQuery.Parse(new string('欠', SearchQuery.MaxLength + 1)).Error);
        Assert.NotNull(SearchQuery.Parse(string.Concat(Enumerable.Repeat("欠薪", SearchQuery.MaxLength / 2))).Query);
    }

    [Fact]
    public void Snippet_marks_matches_merges_overlapping_ones_and_escapes_the_rest()
    {
        var snippet = ChineseText.Snippet("<b>工地</b>拖欠薪资，欠薪已三月", ["欠薪", "拖欠"]);
        Assert.NotNull(snippet);
        Assert.Equal("&lt;b&gt;工地&lt;/b&gt;<mark>拖欠薪</mark>资，<mark>欠薪</mark>已三月", snippet.ToHtml());
    }

    [Fact]
    public void Snippet_cuts_long_text_around_the_first_match()
    {
        var text = new string('甲', 100) + "漏水" + new string('乙', 100);
        var snippet = ChineseText.Snippet(text, ["漏水"], width: 30)!;
        Assert.True(snippet.Before);
        Assert.True(snippet.After);
        Assert.Equal(30, snippet.Parts.Sum(p => p.Text.Length));
        Assert.Equal("漏水", Assert.Single(snippet.Parts, p => p.Matched).Text);
    }

    [Fact]
    public void Snippet_is_null_when_nothing_matches()
    {
        Assert.Null(ChineseText.Snippet("路灯不亮", ["漏水"]));
    }

    [Fact]
    public void Added_words_are_kept_whole()
    {
        ChineseText.AddWords(["柳湖新苑小区"]);
        Assert.Contains("柳湖新苑小区", ChineseText.Segment("柳湖新苑小区停车难"));
    }
}
