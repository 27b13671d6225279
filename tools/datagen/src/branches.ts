// Node runs this tool from source (type stripping), which cannot resolve tsconfig path aliases.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { BRANCH_CATALOG, HQ_BRANCH_ID } from '../../../libs/contracts/src/lib/domain/branches.ts';

/** A branch customers and managers are generated for, with the region code their national ID numbers start with. */
export interface Branch {
  id: string;
  name: string;
  city: string;
  region: string;
  idRegionCode: string;
}

/** 6-digit administrative codes of each city's main district (the first six digits of a resident ID number). */
const CITY_REGION_CODES: Record<string, string> = {
  上海: '310115', 北京: '110105', 天津: '120101', 广州: '440106', 深圳: '440304', 厦门: '350203', 杭州: '330106',
  南京: '320106', 苏州: '320571', 青岛: '370202', 武汉: '420103', 长沙: '430102', 成都: '510104', 重庆: '500103',
  西安: '610113', 沈阳: '210102',
};

/** Every catalogue branch but head office, which holds no customers. */
export const BRANCHES: readonly Branch[] = BRANCH_CATALOG.filter((b) => b.id !== HQ_BRANCH_ID).map((b) => {
  const idRegionCode = CITY_REGION_CODES[b.city];
  if (!idRegionCode) throw new Error(`no ID region code for ${b.city}`);
  return { ...b, idRegionCode };
});
