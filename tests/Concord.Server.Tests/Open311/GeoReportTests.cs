using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Concord.Server.Tests.Infrastructure;

namespace Concord.Server.Tests.Open311;

public sealed class GeoReportTestsOnSqlite(SqliteHost host) : GeoReportTests<SqliteHost>(host);

public sealed class GeoReportTestsOnPostgres(PostgresHost host) : GeoReportTests<PostgresHost>(host);

/// <summary>
/// Open311 GeoReport v2 as a third-party reporting app sees it: plain HTTP, form-encoded POSTs, and
/// the answers read as XML (XDocument) and JSON (JsonDocument) by the spec's element names only.
/// </summary>
public abstract partial class GeoReportTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    private const string Root = "/open311/v2";

    /// <summary>The spec: ISO 8601 with the time zone (Z or ±hh:mm).</summary>
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Iso8601();

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    private static async Task<XDocument> XmlAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet, ignoreCase: true);
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", text, StringComparison.OrdinalIgnoreCase);
        return XDocument.Parse(text);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task Discovery_lists_this_endpoint_with_both_formats()
    {
        var app = host.Anonymous;
        var xml = await XmlAsync(await app.GetAsync($"{Root}/discovery.xml"), HttpStatusCode.OK);
        var endpoint = xml.Root!.Element("endpoints")!.Element("endpoint")!;
        Assert.Equal("http://wiki.open311.org/GeoReport_v2", endpoint.Element("specification")!.Value);
        Assert.Equal(["text/xml", "application/json"], endpoint.Element("formats")!.Elements("format").Select(f => f.Value));
        var json = await JsonAsync(await app.GetAsync($"{Root}/discovery.json"), HttpStatusCode.OK);
        Assert.EndsWith("/open311/v2", json.GetProperty("endpoints")[0].GetProperty("url").GetString());
    }

    [Fact]
    public async Task An_app_lists_services_reads_a_definition_posts_a_request_resolves_the_token_and_reads_it_back_in_xml()
    {
        var app = host.Anonymous;
        var services = await XmlAsync(await app.GetAsync($"{Root}/services.xml"), HttpStatusCode.OK);
        Assert.Equal("services", services.Root!.Name.LocalName);
        var service = services.Root.Elements("service").First(s => s.Element("service_code")!.Value == "020101");
        Assert.Equal("true", service.Element("metadata")!.Value);
        Assert.Equal("realtime", service.Element("type")!.Value);
        Assert.False(string.IsNullOrEmpty(service.Element("service_name")!.Value));
        Assert.False(string.IsNullOrEmpty(service.Element("group")!.Value));
        Assert.NotNull(service.Element("keywords"));
        Assert.NotNull(service.Element("description"));

        var definition = await XmlAsync(await app.GetAsync($"{Root}/services/020101.xml"), HttpStatusCode.OK);
        Assert.Equal("service_definition", definition.Root!.Name.LocalName);
        var attributes = definition.Root.Element("attributes")!.Elements("attribute").ToList();
        var people = attributes.Single(a => a.Element("code")!.Value == "how_many_people");
        // 020101 (欠薪) is urgent: when it happened is required too.
        Assert.Equal("true", attributes.Single(a => a.Element("code")!.Value == "occurred_at").Element("required")!.Value);
        Assert.Equal("true", people.Element("required")!.Value);
        Assert.Equal("singlevaluelist", people.Element("datatype")!.Value);
        Assert.Equal("true", people.Element("variable")!.Value);
        Assert.NotEmpty(people.Element("order")!.Value);
        var keys = people.Element("values")!.Elements("value").Select(v => v.Element("key")!.Value).ToList();
        Assert.Contains("10+", keys);

        // A required attribute left out is the spec's 400.
        var incomplete = await XmlAsync(await app.PostAsync($"{Root}/requests.xml", Form(
            ("api_key", ConcordHost.DispatcherToken), ("service_code", "020101"), ("lat", "35.54"), ("long", "106.68"), ("description", "工地欠薪三个月"))), HttpStatusCode.BadRequest);
        Assert.Contains("how_many_people", incomplete.Root!.Element("error")!.Element("description")!.Value);

        var posted = await XmlAsync(await app.PostAsync($"{Root}/requests.xml", Form(
            ("api_key", ConcordHost.DispatcherToken), ("service_code", "020101"), ("lat", "35.54"), ("long", "106.68"),
            ("attribute[how_many_people]", "10+"), ("attribute[occurred_at]", "2026-11-20T08:00:00+08:00"), ("description", "工地老板欠我们十几个人三个月的工资"),
            ("first_name", "张"), ("last_name", "三丰"), ("phone", "13700001111"), ("email", "zsf@example.cn"),
            ("media_url", "https://example.cn/photo.jpg"))), HttpStatusCode.Created);
        var request = posted.Root!.Element("request")!;
        Assert.Equal("service_requests", posted.Root.Name.LocalName);
        var token = request.Element("token")!.Value;
        var id = request.Element("service_request_id")!.Value;

        var resolved = await XmlAsync(await app.GetAsync($"{Root}/tokens/{token}.xml"), HttpStatusCode.OK);
        Assert.Equal(id, resolved.Root!.Element("request")!.Element("service_request_id")!.Value);

        var read = await XmlAsync(await app.GetAsync($"{Root}/requests/{id}.xml"), HttpStatusCode.OK);
        var back = read.Root!.Element("request")!;
        Assert.Equal(id, back.Element("service_request_id")!.Value);
        Assert.Equal("open", back.Element("status")!.Value);
        Assert.Equal("020101", back.Element("service_code")!.Value);
        Assert.Equal("https://example.cn/photo.jpg", back.Element("media_url")!.Value);
        Assert.Matches(Iso8601(), back.Element("requested_datetime")!.Value);
        Assert.Matches(Iso8601(), back.Element("updated_datetime")!.Value);
        Assert.Equal("dispatched", back.Element("extended_attributes")!.Element("status_fine")!.Value);
        // Public reads: no name, no phone, no e-mail anywhere.
        var all = read.ToString();
        Assert.DoesNotContain("三丰", all);
        Assert.DoesNotContain("13700001111", all);
        Assert.DoesNotContain("zsf@", all);

        // The same matter in the staff app, and on the resident's tracking page.
        var staff = await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/matters/{id}"));
        Assert.Equal("open311", staff["channel"]!.GetValue<string>());
        var tracking = request.Element("tracking_url")!.Value;
        var page = await app.GetAsync(tracking);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("id=\"matter-status\"", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_same_flow_in_json_with_an_address_and_filters()
    {
        var app = host.Anonymous;
        var services = await JsonAsync(await app.GetAsync($"{Root}/services.json"), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Array, services.ValueKind);
        var code = services.EnumerateArray().Select(s => s.GetProperty("service_code").GetString()!).First(c => c.StartsWith("13", StringComparison.Ordinal));

        var definition = await JsonAsync(await app.GetAsync($"{Root}/services/{code}.json"), HttpStatusCode.OK);
        Assert.Equal(code, definition.GetProperty("service_code").GetString());
        var required = definition.GetProperty("attributes").EnumerateArray().Where(a => a.GetProperty("required").GetBoolean()).ToList();
        var fields = new List<(string, string)> { ("api_key", ConcordHost.DispatcherToken), ("service_code", code), ("address_string", "甘肃省平凉市崆峒区中山街"), ("description", "路灯坏了一个多月") };
        foreach (var attribute in required)
        {
            fields.Add(($"attribute[{attribute.GetProperty("code").GetString()}]", attribute.GetProperty("datatype").GetString() == "datetime" ? "2026-11-25T20:00:00+08:00" : attribute.GetProperty("values")[0].GetProperty("key").GetString()!));
        }

        var posted = await JsonAsync(await app.PostAsync($"{Root}/requests.json", Form([.. fields])), HttpStatusCode.Created);
        var id = posted[0].GetProperty("service_request_id").GetString()!;
        var token = posted[0].GetProperty("token").GetString()!;
        Assert.Equal(id, (await JsonAsync(await app.GetAsync($"{Root}/tokens/{token}.json"), HttpStatusCode.OK))[0].GetProperty("service_request_id").GetString());

        var one = await JsonAsync(await app.GetAsync($"{Root}/requests/{id}.json"), HttpStatusCode.OK);
        Assert.Equal(id, one[0].GetProperty("service_request_id").GetString());
        Assert.Matches(Iso8601(), one[0].GetProperty("requested_datetime").GetString()!);

        var byId = await JsonAsync(await app.GetAsync($"{Root}/requests.json?service_request_id={id},NOPE"), HttpStatusCode.OK);
        Assert.Equal([id], byId.EnumerateArray().Select(r => r.GetProperty("service_request_id").GetString()));

        var open = await JsonAsync(await app.GetAsync($"{Root}/requests.json?service_code={code}&status=open&start_date=2026-11-01T00:00:00%2B08:00"), HttpStatusCode.OK);
        Assert.Contains(id, open.EnumerateArray().Select(r => r.GetProperty("service_request_id").GetString()));
        Assert.All(open.EnumerateArray(), r => Assert.Equal(code, r.GetProperty("service_code").GetString()));
        var closed = await JsonAsync(await app.GetAsync($"{Root}/requests.json?service_code={code}&status=closed"), HttpStatusCode.OK);
        Assert.DoesNotContain(id, closed.EnumerateArray().Select(r => r.GetProperty("service_request_id").GetString()));
        var later = await JsonAsync(await app.GetAsync($"{Root}/requests.json?service_code={code}&end_date=2026-01-01T00:00:00Z"), HttpStatusCode.OK);
        Assert.Equal(0, later.GetArrayLength());

        var page1 = await JsonAsync(await app.GetAsync($"{Root}/requests.json?page_size=1&page=1"), HttpStatusCode.OK);
        var page2 = await JsonAsync(await app.GetAsync($"{Root}/requests.json?page_size=1&page=2"), HttpStatusCode.OK);
        Assert.Equal(1, page1.GetArrayLength());
        Assert.NotEqual(page1[0].GetProperty("service_request_id").GetString(), page2.GetArrayLength() == 0 ? null : page2[0].GetProperty("service_request_id").GetString());
    }

    [Fact]
    public async Task The_spec_errors_for_a_missing_key_an_unknown_service_and_a_missing_location()
    {
        var app = host.Anonymous;
        var noKey = await JsonAsync(await app.PostAsync($"{Root}/requests.json", Form(("service_code", "020101"), ("lat", "35.54"), ("long", "106.68"))), HttpStatusCode.Forbidden);
        Assert.Equal(403, noKey[0].GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrEmpty(noKey[0].GetProperty("description").GetString()));

        var badKey = await XmlAsync(await app.PostAsync($"{Root}/requests.xml", Form(("api_key", "cct_not-a-key"), ("service_code", "020101"), ("lat", "35.54"), ("long", "106.68"))), HttpStatusCode.Forbidden);
        Assert.Equal("errors", badKey.Root!.Name.LocalName);
        Assert.Equal("403", badKey.Root.Element("error")!.Element("code")!.Value);

        var unknown = await XmlAsync(await app.PostAsync($"{Root}/requests.xml", Form(("api_key", ConcordHost.DispatcherToken), ("service_code", "999999"), ("lat", "35.54"), ("long", "106.68"))), HttpStatusCode.BadRequest);
        Assert.Equal("400", unknown.Root!.Element("error")!.Element("code")!.Value);
        var unknownDefinition = await JsonAsync(await app.GetAsync($"{Root}/services/999999.json"), HttpStatusCode.NotFound);
        Assert.Equal(404, unknownDefinition[0].GetProperty("code").GetInt32());

        var nowhere = await JsonAsync(await app.PostAsync($"{Root}/requests.json", Form(("api_key", ConcordHost.DispatcherToken), ("service_code", "130101"), ("description", "路灯坏了"))), HttpStatusCode.BadRequest);
        Assert.Equal(400, nowhere[0].GetProperty("code").GetInt32());
        Assert.Contains("lat", nowhere[0].GetProperty("description").GetString());

        Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync($"{Root}/requests/19990101-000001.xml")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync($"{Root}/tokens/NOSUCHTOKEN.json")).StatusCode);
    }
}
