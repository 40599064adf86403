/**
 * Code tables of Chongqing's 38 county-level units (区县): renamed legacy codes, the
 * "central 9" and the English names. Apart from ./districts.ts (which builds the boundaries
 * with Turf) so that the importers, and so `npm start`, read them without loading Turf
 * (issue 13); ./districts.ts re-exports them.
 */

/**
 * Legacy units in the ECharts data, renamed since: 梁平县 became 梁平区 (国函〔2016〕
 * 193号, 2016) and 武隆县 became 武隆区 (国函〔2016〕180号, 2016); same territory.
 */
export const LEGACY_CODES: Readonly<Record<string, { code: string; name_zh: string }>> = {
  '500228': { code: '500155', name_zh: '梁平区' },
  '500232': { code: '500156', name_zh: '武隆区' },
};

/**
 * The nine central urban districts (中心城区 in the Chongqing master plan): the
 * "central 9" filter of the atlas.
 */
export const CENTRAL_URBAN_CODES: ReadonlySet<string> = new Set([
  '500103',
  '500104',
  '500105',
  '500106',
  '500107',
  '500108',
  '500109',
  '500112',
  '500113',
]);

/**
 * English names, written by hand from Hanyu Pinyin (GB/T 16159-2012 rules, syllables
 * joined, tone marks dropped), with "District"/"County"; autonomous counties name their
 * nationalities as the State Council's English usage does.
 */
export const DISTRICT_NAMES_EN: Readonly<Record<string, string>> = {
  '500101': 'Wanzhou District',
  '500102': 'Fuling District',
  '500103': 'Yuzhong District',
  '500104': 'Dadukou District',
  '500105': 'Jiangbei District',
  '500106': 'Shapingba District',
  '500107': 'Jiulongpo District',
  '500108': "Nan'an District",
  '500109': 'Beibei District',
  '500110': 'Qijiang District',
  '500111': 'Dazu District',
  '500112': 'Yubei District',
  '500113': 'Banan District',
  '500114': 'Qianjiang District',
  '500115': 'Changshou District',
  '500116': 'Jiangjin District',
  '500117': 'Hechuan District',
  '500118': 'Yongchuan District',
  '500119': 'Nanchuan District',
  '500120': 'Bishan District',
  '500151': 'Tongliang District',
  '500152': 'Tongnan District',
  '500153': 'Rongchang District',
  '500154': 'Kaizhou District',
  '500155': 'Liangping District',
  '500156': 'Wulong District',
  '500229': 'Chengkou County',
  '500230': 'Fengdu County',
  '500231': 'Dianjiang County',
  '500233': 'Zhong County',
  '500235': 'Yunyang County',
  '500236': 'Fengjie County',
  '500237': 'Wushan County',
  '500238': 'Wuxi County',
  '500240': 'Shizhu Tujia Autonomous County',
  '500241': 'Xiushan Tujia and Miao Autonomous County',
  '500242': 'Youyang Tujia and Miao Autonomous County',
  '500243': 'Pengshui Miao and Tujia Autonomous County',
};
