import { bannerHtml, bannerLink } from '../../../collector/domain/banner-html';

describe('banner HTML', () => {
  const banner = {
    _id: 'sum_1',
    name: 'x',
    imageUrl: '/b.png',
    width: 728,
    height: 90,
    targetPath: '/pricing?plan=pro',
    altText: '<Ashop> & "you"',
  };

  it('links with a_aid and a_bid in the hash, keeps the target query, escapes everything', () => {
    expect(bannerLink('https://ashop.example', 'abc', banner)).toBe(
      'https://ashop.example/pricing?plan=pro#a_aid=abc&a_bid=sum_1',
    );
    expect(bannerHtml('https://ashop.example', 'abc', banner)).toBe(
      '<a href="https://ashop.example/pricing?plan=pro#a_aid=abc&amp;a_bid=sum_1" rel="sponsored">' +
        '<img src="https://ashop.example/b.png" width="728" height="90" alt="&lt;Ashop&gt; &amp; &quot;you&quot;"></a>',
    );
  });
});
