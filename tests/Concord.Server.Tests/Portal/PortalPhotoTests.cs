using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Concord.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Server.Tests.Portal;

public sealed class PortalPhotoTestsOnSqlite(SqliteHost host) : PortalPhotoTests<SqliteHost>(host);

public sealed class PortalPhotoTestsOnPostgres(PostgresHost host) : PortalPhotoTests<PostgresHost>(host);

/// <summary>Photos at the residents' door: checked by content, cleaned of EXIF before storage; repeats grouped; public figures.</summary>
public abstract class PortalPhotoTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    private static MultipartFormDataContent Submission(object matter, params (string Name, string Type, byte[] Bytes)[] photos)
    {
        var form = new MultipartFormDataContent { { new StringContent(JsonSerializer.Serialize(matter)), "matter" } };
        foreach (var (name, type, bytes) in photos)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue(type);
            form.Add(file, "photos", name);
        }

        return form;
    }

    private static object Matter(string title = "井盖丢了", string description = "小区门口的井盖丢了，晚上很危险。") =>
        new { kind = "hazard", title, description, categoryCode = "130101", location = new { lat = 35.54, lon = 106.68 } };

    private async Task<string> MatterCodeAsync(string tracking)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Concord.Server.Data.ConcordDb>();
        return db.Matters.Single(m => m.TrackingCode == tracking).Code;
    }

    [Fact]
    public async Task A_jpeg_with_gps_is_stored_without_exif_and_shown_to_staff_and_resident()
    {
        var original = ExifSamples.JpegWithGps();
        Assert.True(ExifSamples.HasGps(original)); // the sample really carries GPS

        var response = await host.Anonymous.PostAsync("/api/v1/public/matters", Submission(Matter(), ("IMG_0001.jpg", "image/jpeg", original)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await Json.ReadAsync(response);
        var tracking = body["trackingCode"]!.GetValue<string>();
        var secret = body["secret"]!.GetValue<string>();
        var code = await MatterCodeAsync(tracking);

        var stored = await host.Client.GetAsync($"/api/v1/matters/{code}/photos/1");
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        Assert.Equal("image/jpeg", stored.Content.Headers.ContentType!.MediaType);
        var bytes = await stored.Content.ReadAsByteArrayAsync();
        Assert.Equal(0xFF, bytes[0]);
        Assert.Equal(0xD8, bytes[1]);
        Assert.False(ExifSamples.HasExif(bytes));
        Assert.False(ExifSamples.HasGps(bytes));

        var seen = await Json.ReadAsync(await host.Anonymous.GetAsync($"/api/v1/public/matters/{tracking}?secret={secret}"));
        Assert.Single(seen["photos"]!.AsArray());
        var thumbnail = await host.Anonymous.GetAsync($"/api/v1/public/matters/{tracking}/photos/1/thumbnail?secret={secret}");
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        Assert.False(ExifSamples.HasExif(await thumbnail.Content.ReadAsByteArrayAsync()));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Anonymous.GetAsync($"/api/v1/public/matters/{tracking}/photos/1?secret=WRONG")).StatusCode);
    }

    [Fact]
    public async Task Type_is_judged_by_content_and_a_text_file_is_refused_with_a_localized_message()
    {
        // A PNG named .jpg and sent as image/jpeg: it is a PNG, and stored as one.
        var response = await host.Anonymous.PostAsync("/api/v1/public/matters", Submission(Matter("路灯不亮", "巷子里的路灯坏了两周"), ("photo.jpg", "image/jpeg", ExifSamples.Png())));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var code = await MatterCodeAsync((await Json.ReadAsync(response))["trackingCode"]!.GetValue<string>());
        var stored = await host.Client.GetAsync($"/api/v1/matters/{code}/photos/1");
        Assert.Equal("image/png", stored.Content.Headers.ContentType!.MediaType);
        Assert.Equal(0x89, (await stored.Content.ReadAsByteArrayAsync())[0]);

        // Text dressed up as a photo: refused, nothing written.
        var before = (await Json.ReadAsync(await host.Client.GetAsync("/api/v1/matters?limit=1")))["items"]![0]!["code"]!.GetValue<string>();
        var text = new HttpRequestMessage(HttpMethod.Post, "/api/v1/public/matters") { Content = Submission(Matter("噪音", "半夜施工"), ("notes.jpg", "image/jpeg", "这不是图片"u8.ToArray())) };
        text.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue("en"));
        var refused = await host.Anonymous.SendAsync(text);
        Assert.Equal((HttpStatusCode)422, refused.StatusCode);
        Assert.Equal("'notes.jpg' is not a JPEG, PNG or WebP image", Json.Strings((await Json.ReadAsync(refused))["errors"]!["photos[0]"]).Single());
        Assert.Equal(before, (await Json.ReadAsync(await host.Client.GetAsync("/api/v1/matters?limit=1")))["items"]![0]!["code"]!.GetValue<string>());

        var seven = Enumerable.Range(1, 7).Select(i => ($"p{i}.png", "image/png", ExifSamples.Png())).ToArray();
        var tooMany = await host.Anonymous.PostAsync("/api/v1/public/matters", Submission(Matter("太多", "七张照片"), seven));
        Assert.Equal((HttpStatusCode)422, tooMany.StatusCode);
        Assert.Equal("最多上传 6 张照片", Json.Strings((await Json.ReadAsync(tooMany))["errors"]!["photos"]).Single());
    }

    [Fact]
    public async Task Spam_like_repeats_are_grouped_for_the_dispatcher_and_none_is_dropped()
    {
        // No category: the matters wait in the dispatcher's queue.
        object Same(string description) => new { kind = "appeal", title = "广场舞噪音", description, territoryCode = "620802" };
        var first = await Json.ReadAsync(await host.Anonymous.SendAsync(Json.Post("/api/v1/public/matters", Json.Body(Same("每天晚上十点后广场舞音响太吵，影响休息！")))));
        var second = await Json.ReadAsync(await host.Anonymous.SendAsync(Json.Post("/api/v1/public/matters", Json.Body(Same("每天晚上十点后，广场舞音响太吵 影响休息")))));
        var other = await Json.ReadAsync(await host.Anonymous.SendAsync(Json.Post("/api/v1/public/matters", Json.Body(new { kind = "appeal", title = "水管漏水", description = "单元楼下水管破裂漏水", territoryCode = "620802" }))));
        var firstCode = await MatterCodeAsync(first["trackingCode"]!.GetValue<string>());
        var secondCode = await MatterCodeAsync(second["trackingCode"]!.GetValue<string>());
        var otherCode = await MatterCodeAsync(other["trackingCode"]!.GetValue<string>());

        var queue = (await Json.ReadAsync(await host.Client.GetAsync("/api/v1/dispatch/queue"))).AsArray();
        var byCode = queue.ToDictionary(q => q!["matter"]!["code"]!.GetValue<string>(), q => q!);
        Assert.Contains(firstCode, byCode.Keys);
        Assert.Contains(secondCode, byCode.Keys);
        Assert.Equal(firstCode, byCode[secondCode]["repeatGroup"]!["firstMatter"]!.GetValue<string>());
        Assert.True(byCode[secondCode]["repeatGroup"]!["repeat"]!.GetValue<bool>());
        Assert.Equal(2, byCode[firstCode]["repeatGroup"]!["size"]!.GetValue<int>());
        Assert.False(byCode[firstCode]["repeatGroup"]!["repeat"]!.GetValue<bool>());
        Assert.Null(byCode[otherCode]["repeatGroup"]);
    }

    [Fact]
    public async Task Public_figures_follow_the_situation_figures_and_withhold_small_counts()
    {
        var staff = await Json.ReadAsync(await host.Client.GetAsync("/api/v1/figures/situation?territory=620802&from=2025-11-27&to=2026-11-26"));
        var published = await host.Anonymous.GetAsync("/api/v1/public/figures?territory=620802");
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        var figures = await Json.ReadAsync(published);
        Assert.Equal("2025-11-27", figures["from"]!.GetValue<string>());
        var volume = staff["volume"]!.GetValue<int>();
        Assert.Equal(volume >= 5 ? volume : null, figures["volume"]?.GetValue<int>());
        var satisfaction = staff["satisfaction"]!;
        Assert.Equal(satisfaction["denominator"]!.GetValue<int>() >= 5 ? satisfaction["value"]?.GetValue<double>() : null, figures["satisfaction"]!["value"]?.GetValue<double>());
        foreach (var category in figures["byCategory"]!.AsArray())
        {
            Assert.True(category!["volume"] is null || category["volume"]!.GetValue<int>() >= 5);
        }

        Assert.DoesNotContain("\"code\":\"2026", figures.ToJsonString()); // no matter codes
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Anonymous.GetAsync("/api/v1/public/figures?territory=nowhere")).StatusCode);
    }
}
