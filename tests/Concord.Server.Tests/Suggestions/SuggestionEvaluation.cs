using System.Globalization;
using System.Text;
using Concord.Domain.Routing;
using Concord.Domain.Suggestions;
using Concord.Domain.Territories;
using Concord.Server.Catalog;
using Concord.Server.Features.Territories;

namespace Concord.Server.Tests.Suggestions;

/// <summary>
/// The measurement behind docs/suggestions.md: synthetic labelled matters (SyntheticDispatches over
/// the real taxonomy, the Pingliang townships and the demo routing rules), a model trained on the
/// first N decisions, top-1/top-3 accuracy on a held-out set, and how often a suggestion is made
/// (coverage) and right (precision) at the threshold.
/// </summary>
public static class SuggestionEvaluation
{
    public sealed record Row(int Decisions, double CategoryTop1, double CategoryTop3, double UnitTop1, double UnitTop3,
        double CategoryCoverage, double CategoryPrecision, double UnitCoverage, double UnitPrecision);

    public static (List<SyntheticDispatch> Train, List<SyntheticDispatch> Test) Data(int train, int test, int seed)
    {
        var territories = DivisionCsvReader.Read(File.OpenText(ReferenceData.PathOf("pingliang-divisions.csv"))).Items.Select(d => d.Territory).ToList();
        var tree = new TerritoryTree(territories);
        var units = ReferenceData.ReadUnits(ReferenceData.PathOf("demo-units.json"));
        var governments = territories.Where(t => t.Level is TerritoryLevel.City or TerritoryLevel.County or TerritoryLevel.Township)
            .ToDictionary(t => t.Code, t => $"{t.Code}.gov");
        var router = new Router(ReferenceData.ReadRules(ReferenceData.PathOf("demo-routing-rules.json")).Select(CatalogStore.ToRule), c => governments.GetValueOrDefault(c));
        var places = territories.Where(t => t.Level == TerritoryLevel.Township && t.ParentCode is not null)
            .Select(t => new SyntheticPlace(t.ParentCode!, t.Code, t.Name)).ToList();
        var categories = ReferenceData.ReadCategories(ReferenceData.PathOf("categories.json")).Select(CatalogStore.ToCategory).ToList();
        string? Lead(string c, SyntheticPlace p) => router.Route(c, tree.ChainOf(p.TownshipCode)).LeadUnitCode;
        // Different seeds: the held-out matters are not the training matters.
        return (SyntheticDispatches.Generate(categories, places, Lead, train, seed).ToList(),
                SyntheticDispatches.Generate(categories, places, Lead, test, seed + 7919).ToList());
    }

    public static List<Row> Run(IReadOnlyList<int> sizes, int test, int seed, double threshold)
    {
        var (train, held) = Data(sizes.Max(), test, seed);
        var model = new SuggestionModel(threshold: threshold);
        var rows = new List<Row>();
        var learned = 0;
        foreach (var size in sizes.Order())
        {
            for (; learned < size; learned++)
            {
                model.Learn(train[learned].Decision);
            }

            int c1 = 0, c3 = 0, u1 = 0, u3 = 0, cs = 0, cr = 0, us = 0, ur = 0;
            foreach (var item in held)
            {
                var (category, unit) = model.Suggest(item.Decision.Matter, k: 3);
                c1 += category.Top.Count > 0 && category.Top[0].Label == item.CategoryCode ? 1 : 0;
                c3 += category.Top.Any(t => t.Label == item.CategoryCode) ? 1 : 0;
                u1 += unit.Top.Count > 0 && unit.Top[0].Label == item.LeadUnitCode ? 1 : 0;
                u3 += unit.Top.Any(t => t.Label == item.LeadUnitCode) ? 1 : 0;
                if (category.Suggested is { } sc)
                {
                    cs++;
                    cr += sc.Label == item.CategoryCode ? 1 : 0;
                }

                if (unit.Suggested is { } su)
                {
                    us++;
                    ur += su.Label == item.LeadUnitCode ? 1 : 0;
                }
            }

            double n = held.Count;
            rows.Add(new Row(size, c1 / n, c3 / n, u1 / n, u3 / n, cs / n, cs == 0 ? 0 : (double)cr / cs, us / n, us == 0 ? 0 : (double)ur / us));
        }

        return rows;
    }

    public static string Markdown(IEnumerable<Row> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| decisions learned | category top-1 | category top-3 | unit top-1 | unit top-3 | category suggested / right when suggested | unit suggested / right when suggested |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Decisions} | {r.CategoryTop1:P1} | {r.CategoryTop3:P1} | {r.UnitTop1:P1} | {r.UnitTop3:P1} | {r.CategoryCoverage:P1} / {r.CategoryPrecision:P1} | {r.UnitCoverage:P1} / {r.UnitPrecision:P1} |"));
        }

        return text.ToString();
    }
}
