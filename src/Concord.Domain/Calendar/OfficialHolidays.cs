using System.Globalization;

namespace Concord.Domain.Calendar;

/// <summary>
/// The official holiday arrangements (放假调休) as published each year by the General Office of the
/// State Council. This file is data: add a year only from its notice, never from a guess.
/// </summary>
/// <remarks>
/// Shipped: 2025 and 2026. <b>2027 is not shipped</b>: as of 2026-11-26 its notice
/// (国务院办公厅关于2027年部分节假日安排的通知) could not be found and confirmed, so the table does not
/// know 2027 and <see cref="WorkingCalendar"/> counts 2027 (and every later year) by weekends only —
/// <see cref="WorkingCalendar.Knows"/> returns false and <see cref="CalendarCoverage"/> names the year,
/// so that callers can say "calendar for 2027 unknown: weekends only". When the notice appears, add a
/// block below, with its title, date and number, and the tests' expectations for 2027.
/// </remarks>
public static class OfficialHolidays
{
    /// <summary>The notices, one per shipped year.</summary>
    public static IReadOnlyList<HolidayNotice> Notices { get; } =
    [
        // 2025 — 国务院办公厅关于2025年部分节假日安排的通知, 国办发明电〔2024〕12号, dated 2024-11-12
        // (released by Xinhua the same day, e.g. https://m.gmw.cn/2024-11/12/content_1303894933.htm).
        // First year under the Measures as revised in November 2024 (除夕 and 5月2日 became holidays).
        new(
            Year: 2025,
            Title: "国务院办公厅关于2025年部分节假日安排的通知",
            Issued: Day("2024-11-12"),
            Number: "国办发明电〔2024〕12号",
            Holidays:
            [
                Off("元旦", "2025-01-01", "2025-01-01"),           // 周三, 1天, 不调休
                Off("春节", "2025-01-28", "2025-02-04"),           // 除夕(周二) … 正月初七(周二), 8天
                Off("清明节", "2025-04-04", "2025-04-06"),         // 周五 … 周日, 3天
                Off("劳动节", "2025-05-01", "2025-05-05"),         // 周四 … 周一, 5天
                Off("端午节", "2025-05-31", "2025-06-02"),         // 周六 … 周一, 3天
                Off("国庆节、中秋节", "2025-10-01", "2025-10-08"), // 周三 … 周三, 8天 (merged)
            ],
            MakeUpWorkdays:
            [
                On("2025-01-26", "春节"),           // 周日
                On("2025-02-08", "春节"),           // 周六
                On("2025-04-27", "劳动节"),         // 周日
                On("2025-09-28", "国庆节、中秋节"), // 周日
                On("2025-10-11", "国庆节、中秋节"), // 周六
            ]),

        // 2026 — 国务院办公厅关于2026年部分节假日安排的通知, dated 2025-11-04 (released by Xinhua the same
        // day, e.g. https://politics.gmw.cn/2025-11/04/content_38391083.htm). Its document number could
        // not be confirmed from a reliable copy, so it is left null rather than guessed.
        new(
            Year: 2026,
            Title: "国务院办公厅关于2026年部分节假日安排的通知",
            Issued: Day("2025-11-04"),
            Number: null,
            Holidays:
            [
                Off("元旦", "2026-01-01", "2026-01-03"),   // 周四 … 周六, 3天
                Off("春节", "2026-02-15", "2026-02-23"),   // 腊月二十八(周日) … 正月初七(周一), 9天
                Off("清明节", "2026-04-04", "2026-04-06"), // 周六 … 周一, 3天
                Off("劳动节", "2026-05-01", "2026-05-05"), // 周五 … 周二, 5天
                Off("端午节", "2026-06-19", "2026-06-21"), // 周五 … 周日, 3天
                Off("中秋节", "2026-09-25", "2026-09-27"), // 周五 … 周日, 3天
                Off("国庆节", "2026-10-01", "2026-10-07"), // 周四 … 周三, 7天
            ],
            MakeUpWorkdays:
            [
                On("2026-01-04", "元旦"),   // 周日
                On("2026-02-14", "春节"),   // 周六
                On("2026-02-28", "春节"),   // 周六
                On("2026-05-09", "劳动节"), // 周六
                On("2026-09-20", "国庆节"), // 周日
                On("2026-10-10", "国庆节"), // 周六
            ]),

        // 2027 — not shipped: the notice could not be confirmed (see the remarks above).
    ];

    /// <summary>The shipped notices as a table.</summary>
    public static HolidayTable Table { get; } = new(Notices);

    private static DateOnly Day(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static HolidayPeriod Off(string name, string first, string last) => new(name, Day(first), Day(last));

    private static MakeUpWorkday On(string date, string forHoliday) => new(Day(date), forHoliday);
}
