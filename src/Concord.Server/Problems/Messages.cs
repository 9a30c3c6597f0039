using System.Globalization;

namespace Concord.Server.Problems;

/// <summary>
/// The message catalogue: every text a client may read in an error, in zh-CN and English.
/// The culture comes from Accept-Language (request localization); zh-CN is the default.
/// </summary>
public static class Messages
{
    private static readonly Dictionary<string, (string Zh, string En)> Catalogue = new(StringComparer.Ordinal)
    {
        // Problem titles.
        ["title.validation"] = ("提交的内容有误，请按提示修改", "The request has invalid fields"),
        ["title.malformed_json"] = ("请求体不是有效的 JSON", "The request body is not valid JSON"),
        ["title.too_large"] = ("请求体过大", "The request body is too large"),
        ["title.unsupported_media_type"] = ("不支持的内容类型", "Unsupported content type"),
        ["title.not_found"] = ("未找到", "Not found"),
        ["title.idempotency_mismatch"] = ("幂等键已用于另一个请求", "The Idempotency-Key was used for a different request"),
        ["title.idempotency_in_flight"] = ("相同幂等键的请求正在处理", "A request with this Idempotency-Key is still in progress"),
        ["title.import_rejected"] = ("导入文件有误，未导入任何数据", "The file was rejected; nothing was imported"),
        ["title.server_error"] = ("服务器内部错误", "Internal server error"),
        ["title.unauthorized"] = ("请先登录", "Sign in first"),
        ["title.forbidden"] = ("无权执行此操作", "You are not allowed to do this"),
        ["title.rate_limited"] = ("请求过于频繁", "Too many requests"),
        ["title.sign_in_failed"] = ("登录失败", "Sign-in failed"),
        ["title.locked_out"] = ("账号已暂时锁定", "The account is locked for a while"),
        ["title.two_factor_required"] = ("需要动态验证码", "A one-time code is required"),
        ["title.out_of_scope"] = ("超出您的管辖范围", "Outside your area"),
        ["title.conflict"] = ("操作冲突", "Conflict"),
        ["title.stale"] = ("事项已被他人修改", "The matter was changed by someone else"),
        ["title.illegal_transition"] = ("当前状态下不能执行此操作", "This step is not possible now"),

        // Problem details.
        ["detail.malformed_json"] = ("第 {0} 行第 {1} 个字节附近：{2}", "Near line {0}, byte {1}: {2}"),
        ["detail.not_object"] = ("请求体必须是一个 JSON 对象", "The request body must be a JSON object"),
        ["detail.too_large"] = ("请求体不能超过 {0} 字节", "The request body must not exceed {0} bytes"),
        ["detail.unsupported_media_type"] = ("请以 {0} 提交", "Send the body as {0}"),
        ["detail.matter_not_found"] = ("事项 {0} 不存在", "There is no matter {0}"),
        ["detail.territory_not_found"] = ("区划 {0} 不存在", "There is no territory {0}"),
        ["detail.idempotency_mismatch"] = ("同一个 Idempotency-Key 只能用于内容相同的请求；请换一个新的键", "An Idempotency-Key may only be reused with the same body; use a new key"),
        ["detail.idempotency_in_flight"] = ("请稍后重试", "Retry in a moment"),
        ["detail.rate_limited"] = ("请稍后再试", "Wait a moment and try again"),
        ["detail.sign_in_failed"] = ("用户名或密码不正确", "The user name or password is wrong"),
        ["detail.locked_out"] = ("连续登录失败次数过多，请 {0} 分钟后再试", "Too many failed attempts; try again in {0} minutes"),
        ["detail.two_factor_required"] = ("请输入身份验证器中的 6 位动态码（totp）", "Enter the 6-digit code from your authenticator app (totp)"),
        ["detail.two_factor_wrong"] = ("动态验证码不正确", "The one-time code is wrong"),
        ["detail.place_out_of_scope"] = ("事项地点 {0} 不在您的管辖范围内", "The matter's place {0} lies outside your area"),
        ["detail.user_exists"] = ("用户名 {0} 已存在", "The user name {0} is taken"),
        ["detail.user_not_found"] = ("用户 {0} 不存在", "There is no user {0}"),
        ["detail.token_not_found"] = ("令牌 {0} 不存在", "There is no token {0}"),
        ["detail.stale"] = ("您看到的不是最新版本（当前版本 {0}），请刷新后重试", "You saw an older version (now {0}); reload and try again"),
        ["detail.unit_not_found"] = ("单位 {0} 不存在", "There is no unit {0}"),
        ["detail.letter_not_found"] = ("函件 {0} 不存在", "There is no letter {0}"),
        ["workflow.not_yours"] = ("您与该事项的关系不允许执行“{0}”（当前状态：{1}）", "Your relation to this matter does not allow '{0}' (status: {1})"),
        ["workflow.illegal"] = ("状态为 {1} 的事项不能执行“{0}”，只有状态为 {2} 时可以", "'{0}' is not possible in status {1}; only in: {2}"),
        ["detail.bad_cursor"] = ("分页游标无效，请从第一页重新开始", "The cursor is invalid; start again from the first page"),

        // Field errors (keys used by Concord.Domain's rules and by the readers).
        ["required"] = ("必填", "is required"),
        ["one_of"] = ("“{0}”无效，可选值：{1}", "'{0}' is not valid; use one of: {1}"),
        ["too_long"] = ("不能超过 {0} 个字符（现为 {1} 个）", "must be at most {0} characters (it has {1})"),
        ["too_many"] = ("不能超过 {0} 项", "must have at most {0} entries"),
        ["out_of_range"] = ("{0} 超出范围，应在 {1} 到 {2} 之间", "{0} is out of range; it must be between {1} and {2}"),
        ["unknown_category"] = ("事项分类“{0}”不存在", "there is no category '{0}'"),
        ["unknown_territory"] = ("区划“{0}”不存在", "there is no territory '{0}'"),
        ["place_required"] = ("请提供位置：经纬度（location）、区划代码（territoryCode）或地址（address）之一", "give a place: location {lat, lon}, territoryCode or address"),
        ["in_future"] = ("发生时间不能晚于当前时间", "must not be in the future"),
        ["bad_phone"] = ("电话号码格式不正确", "is not a valid phone number"),
        ["wrong_type"] = ("应为{0}", "must be {0}"),
        ["unknown_field"] = ("未知字段", "is not a known field"),
        ["bad_datetime"] = ("应为带时区的 ISO 8601 时间，例如 2026-11-26T09:30:00+08:00", "must be an ISO 8601 time with offset, e.g. 2026-11-26T09:30:00+08:00"),
        ["bad_filter"] = ("“{0}”无效", "'{0}' is not valid"),
        ["limit_range"] = ("应在 1 到 {0} 之间", "must be between 1 and {0}"),
        ["unknown_unit"] = ("单位“{0}”不存在", "there is no unit '{0}'"),
        ["unknown_role"] = ("角色“{0}”无效，可选值：{1}", "role '{0}' is not valid; use one of: {1}"),
        ["unknown_scope"] = ("权限范围“{0}”无效，可选值：{1}", "scope '{0}' is not valid; use one of: {1}"),
        ["scope_not_allowed"] = ("您的角色不能授予“{0}”", "your roles cannot grant '{0}'"),
        ["not_a_grid"] = ("“{0}”不是网格", "'{0}' is not a grid"),
        ["password"] = ("{0}", "{0}"),
        ["expiry_range"] = ("有效期应在 1 到 {0} 天之间", "must be between 1 and {0} days"),
        ["reason_required"] = ("查看个人信息须说明理由（至少 {0} 个字）", "give a reason for seeing personal data (at least {0} characters)"),
        ["same_unit"] = ("改派须选择另一个单位（当前为 {0}）", "choose another unit than the current one ({0})"),
        ["extension_pending"] = ("已有一项延期申请待审批", "an extension request is already waiting for a decision"),
        ["no_extension_pending"] = ("没有待审批的延期申请", "there is no extension request to decide"),
        ["bad_merge_target"] = ("“{0}”不能作为并入的事项（不存在、超出范围、已办结或就是本事项）", "'{0}' cannot be merged into (unknown, out of scope, ended, or this very matter)"),
        ["idempotency_key"] = ("应为 1 到 200 个可见 ASCII 字符", "must be 1 to 200 visible ASCII characters"),

        // JSON type names quoted by wrong_type.
        ["type.string"] = ("字符串", "a string"),
        ["type.number"] = ("数字", "a number"),
        ["type.object"] = ("对象", "an object"),
        ["type.array"] = ("数组", "an array"),

        // Import faults.
        ["import.bad_header"] = ("第 1 行应为表头 {0}", "line 1 must be the header {0}"),
        ["import.bad_columns"] = ("应有 {0} 列，实有 {1} 列", "must have {0} columns, has {1}"),
        ["import.bad_level"] = ("层级“{0}”无效，可选值：{1}", "level '{0}' is not valid; use one of: {1}"),
        ["import.duplicate_code"] = ("代码 {0} 重复", "code {0} appears more than once"),
        ["import.unknown_parent"] = ("上级代码 {0} 不存在", "parent code {0} does not exist"),
        ["import.code_not_under_parent"] = ("代码 {0} 应以上级代码 {1} 开头", "code {0} must start with its parent's code {1}"),
        ["import.level_order"] = ("层级 {0} 不能位于 {1} 之下", "a {0} cannot lie below a {1}"),
        ["import.empty_field"] = ("{0} 不能为空", "{0} must not be empty"),
        ["import.not_feature_collection"] = ("应为 GeoJSON FeatureCollection", "must be a GeoJSON FeatureCollection"),
        ["import.bad_geometry_type"] = ("几何类型应为 Polygon 或 MultiPolygon，实为 {0}", "geometry must be a Polygon or MultiPolygon, not {0}"),
        ["import.bad_coordinates"] = ("坐标格式不正确：{0}", "coordinates are malformed: {0}"),
        ["import.unclosed_ring"] = ("第 {0} 个环未闭合（首尾坐标不同）", "ring {0} is not closed (first and last positions differ)"),
        ["import.short_ring"] = ("第 {0} 个环少于 4 个坐标", "ring {0} has fewer than 4 positions"),
        ["import.invalid_geometry"] = ("几何无效：{0}（位于 {1}, {2}）", "the geometry is invalid: {0} (at {1}, {2})"),
        ["import.out_of_bounds"] = ("坐标超出经纬度范围", "a coordinate is outside longitude/latitude range"),
        ["import.not_inside_parent"] = ("未完全位于上级 {0} 的范围内", "does not lie inside its parent {0}"),
        ["import.empty"] = ("文件中没有任何记录", "the file has no records"),
        ["import.unknown_level_geometry"] = ("{0} 的上级 {1} 没有边界，无法检查是否在其范围内", "{0}'s parent {1} has no boundary to check it against"),

        // The staff web pages (src/Concord.Server/Components).
        ["ui.app_name"] = ("Concord 同心", "Concord"),
        ["ui.center"] = ("综治中心", "Comprehensive Governance Center"),
        ["ui.language"] = ("语言", "Language"),
        ["ui.skip_to_content"] = ("跳到正文", "Skip to content"),
        ["ui.footer"] = ("综治中心工作平台 · 仅限授权人员使用", "Comprehensive governance platform · authorized staff only"),
        ["ui.sign_in.title"] = ("工作人员登录", "Staff sign-in"),
        ["ui.sign_in.lead"] = ("请使用单位为您开设的账号登录。", "Sign in with the account your unit opened for you."),
        ["ui.sign_in.user_name"] = ("用户名", "User name"),
        ["ui.sign_in.password"] = ("密码", "Password"),
        ["ui.sign_in.code"] = ("动态验证码", "One-time code"),
        ["ui.sign_in.code_hint"] = ("该账号已开启双重验证：请输入身份验证器中的 6 位动态码。", "This account uses two-factor sign-in: enter the 6-digit code from your authenticator app."),
        ["ui.sign_in.code_format"] = ("动态验证码应为 6 位数字", "The one-time code must be 6 digits"),
        ["ui.sign_in.submit"] = ("登录", "Sign in"),
        ["ui.sign_in.other_user"] = ("换个账号", "Use another account"),
        ["ui.sign_in.user_name_required"] = ("请输入用户名", "Enter your user name"),
        ["ui.sign_in.password_required"] = ("请输入密码", "Enter your password"),
        ["ui.sign_in.expired"] = ("等待时间过长，请重新输入密码", "That took too long; enter your password again"),
        ["ui.sign_in.signed_out"] = ("您已安全退出。", "You have signed out."),
        ["ui.home.title"] = ("工作台", "Home"),
        ["ui.home.greeting"] = ("您好，{0}", "Hello, {0}"),
        ["ui.home.user_name"] = ("账号", "Account"),
        ["ui.home.unit"] = ("所在单位", "Unit"),
        ["ui.home.roles"] = ("角色", "Roles"),
        ["ui.home.scope"] = ("管辖范围", "Area"),
        ["ui.home.scope_everything"] = ("{0}（全域）", "All of {0}"),
        ["ui.home.scope_unit"] = ("以及交办给本单位的事项", "and the matters assigned to your unit"),
        ["ui.home.scope_grids"] = ("网格：{0}", "Grids: {0}"),
        ["ui.home.scope_none"] = ("未设定", "Not set"),
        ["ui.home.two_factor"] = ("双重验证", "Two-factor sign-in"),
        ["ui.home.two_factor_on"] = ("已开启", "On"),
        ["ui.home.two_factor_off"] = ("未开启", "Off"),
        ["ui.home.api_reference"] = ("接口文档（API）", "API reference"),
        ["ui.home.api_reference_hint"] = ("供系统对接和脚本使用", "For integrations and scripts"),
        ["ui.sign_out"] = ("退出登录", "Sign out"),
        ["ui.role.admin"] = ("系统管理员", "Administrator"),
        ["ui.role.dispatcher"] = ("派单员", "Dispatcher"),
        ["ui.role.handler"] = ("承办人", "Handler"),
        ["ui.role.unit_head"] = ("单位负责人", "Unit head"),
        ["ui.role.grid_worker"] = ("网格员", "Grid worker"),
        ["ui.role.mediator"] = ("调解员", "Mediator"),
        ["ui.role.analyst"] = ("研判员", "Analyst"),
        ["ui.role.leader"] = ("领导", "Leader"),
        ["ui.role.auditor"] = ("审计员", "Auditor"),
        ["ui.role.integration"] = ("系统集成", "Integration"),
    };

    public static bool IsZh => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase);

    public static string Text(string key, params object?[] args)
    {
        if (!Catalogue.TryGetValue(key, out var entry))
        {
            return key;
        }

        var template = IsZh ? entry.Zh : entry.En;
        return args.Length == 0 ? template : string.Format(CultureInfo.InvariantCulture, template, args.Select(Localize).ToArray());
    }

    public static bool Has(string key) => Catalogue.ContainsKey(key);

    public static IEnumerable<string> Keys => Catalogue.Keys;

    private static object? Localize(object? arg) => arg is string s && s.StartsWith("type.", StringComparison.Ordinal) ? Text(s) : arg;
}
