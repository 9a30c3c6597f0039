using Microsoft.Playwright;

namespace Concord.Browser.Tests;

/// <summary>
/// Queues paged in the database: the workbench and the dispatch console show one keyset page at a time
/// ("next" and "first page", no page numbers), so a test finds its matter by following "next".
/// </summary>
public static class QueuePaging
{
    /// <summary>The row of the matter on the queue page shown or a later one (the page it is found on stays open); empty when on none.</summary>
    public static async Task<ILocator> FindRowAsync(IPage page, string rowTestId, string code, int maxPages = 40)
    {
        var row = page.Locator($"[data-testid={rowTestId}][data-code='{code}']");
        for (var n = 0; n < maxPages && await row.CountAsync() == 0; n++)
        {
            var next = page.GetByTestId("pager-next");
            if (await next.CountAsync() == 0)
            {
                break;
            }

            await page.GotoAsync((await next.GetAttributeAsync("href"))!);
        }

        return row;
    }
}
