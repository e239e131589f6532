// Paste-ready banner HTML for a partner: an image link carrying the partner's a_aid and the
// banner's a_bid in the hash (docs/CONTRACTS.md §1). Every interpolated value is escaped.

export interface BannerSpec {
  _id: string;
  name: string;
  imageUrl: string;
  width: number;
  height: number;
  targetPath: string;
  altText: string;
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => escapes[char]!);

export function bannerLink(siteUrl: string, partnerId: string, banner: Pick<BannerSpec, '_id' | 'targetPath'>): string {
  const target = new URL(banner.targetPath, siteUrl);
  target.hash = `a_aid=${encodeURIComponent(partnerId)}&a_bid=${encodeURIComponent(banner._id)}`;
  return target.href;
}

export function bannerHtml(siteUrl: string, partnerId: string, banner: BannerSpec): string {
  const href = bannerLink(siteUrl, partnerId, banner);
  const src = new URL(banner.imageUrl, siteUrl).href;
  return (
    `<a href="${escapeHtml(href)}" rel="sponsored">` +
    `<img src="${escapeHtml(src)}" width="${banner.width}" height="${banner.height}" alt="${escapeHtml(banner.altText)}"></a>`
  );
}
