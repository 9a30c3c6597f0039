using Concord.Server.Problems;

namespace Concord.Server.Features.Portal;

/// <summary>The residents' door: errors of photos and figures, and the portal pages' text.</summary>
public sealed class PortalMessages : MessageSource
{
    public override IReadOnlyDictionary<string, (string Zh, string En)> Entries { get; } = new Dictionary<string, (string Zh, string En)>
    {
        ["portal.photos_too_many"] = ("最多上传 {0} 张照片", "At most {0} photos"),
        ["portal.photos_too_large_total"] = ("照片合计不能超过 {0} MB", "The photos together must not exceed {0} MB"),
        ["portal.photo_too_large"] = ("照片“{0}”超过 {1} MB", "The photo '{0}' exceeds {1} MB"),
        ["portal.photo_wrong_type"] = ("“{0}”不是 JPEG、PNG 或 WebP 图片", "'{0}' is not a JPEG, PNG or WebP image"),
        ["portal.photo_not_found"] = ("事项 {0} 没有第 {1} 张照片", "The matter {0} has no photo {1}"),
        ["portal.figures_place"] = ("“{0}”不是县区或乡镇街道", "'{0}' is not a county or township"),
        ["open311.notice"] = ("已受理。居民可凭查询码 {0} 和密码查看办理进度。", "Received. The resident follows it with the tracking code {0} and the secret."),
    };
}
