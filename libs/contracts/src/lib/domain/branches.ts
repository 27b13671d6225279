/**
 * The bank's branch catalogue: one list for every service, so that a customer's home branch and a manager's
 * branch compare equal. Codes are `<city>-<district>-<number>`; `HQ` is head office.
 * Services seed their reference tables from this list in migrations; a new branch needs a new migration.
 */
export interface BranchRow {
  id: string;
  name: string;
  city: string;
  region: string;
}

export const HQ_BRANCH_ID = 'HQ';

export const REGIONS = ['east', 'north', 'south', 'central', 'southwest', 'northwest', 'northeast'] as const;

export const BRANCH_CATALOG: readonly BranchRow[] = [
  { id: HQ_BRANCH_ID, name: '总行营业部', city: '上海', region: 'east' },
  { id: 'SH-PD-001', name: '上海浦东支行', city: '上海', region: 'east' },
  { id: 'SH-HP-001', name: '上海黄浦支行', city: '上海', region: 'east' },
  { id: 'SH-XH-001', name: '上海徐汇支行', city: '上海', region: 'east' },
  { id: 'SH-MH-001', name: '上海闵行支行', city: '上海', region: 'east' },
  { id: 'BJ-CY-001', name: '北京朝阳支行', city: '北京', region: 'north' },
  { id: 'BJ-HD-001', name: '北京海淀支行', city: '北京', region: 'north' },
  { id: 'BJ-XC-001', name: '北京西城支行', city: '北京', region: 'north' },
  { id: 'TJ-HP-001', name: '天津和平支行', city: '天津', region: 'north' },
  { id: 'GZ-TH-001', name: '广州天河支行', city: '广州', region: 'south' },
  { id: 'SZ-FT-001', name: '深圳福田支行', city: '深圳', region: 'south' },
  { id: 'SZ-NS-001', name: '深圳南山支行', city: '深圳', region: 'south' },
  { id: 'XM-SM-001', name: '厦门思明支行', city: '厦门', region: 'south' },
  { id: 'HZ-XH-001', name: '杭州西湖支行', city: '杭州', region: 'east' },
  { id: 'NJ-GL-001', name: '南京鼓楼支行', city: '南京', region: 'east' },
  { id: 'SU-GY-001', name: '苏州工业园区支行', city: '苏州', region: 'east' },
  { id: 'QD-SN-001', name: '青岛市南支行', city: '青岛', region: 'east' },
  { id: 'WH-JH-001', name: '武汉江汉支行', city: '武汉', region: 'central' },
  { id: 'CS-FR-001', name: '长沙芙蓉支行', city: '长沙', region: 'central' },
  { id: 'CD-JJ-001', name: '成都锦江支行', city: '成都', region: 'southwest' },
  { id: 'CQ-YZ-001', name: '重庆渝中支行', city: '重庆', region: 'southwest' },
  { id: 'XA-YT-001', name: '西安雁塔支行', city: '西安', region: 'northwest' },
  { id: 'SY-HP-001', name: '沈阳和平支行', city: '沈阳', region: 'northeast' },
];
