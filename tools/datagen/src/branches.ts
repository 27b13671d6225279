/** Branch catalogue used by generated data: ids, cities and the 6-digit region codes of national ID numbers. */
export interface Branch {
  id: string;
  name: string;
  city: string;
  region: string;
  idRegionCode: string;
}

export const BRANCHES: readonly Branch[] = [
  { id: 'SH-PD-001', name: '上海浦东支行', city: '上海', region: 'east', idRegionCode: '310115' },
  { id: 'SH-XH-002', name: '上海徐汇支行', city: '上海', region: 'east', idRegionCode: '310104' },
  { id: 'SH-JA-003', name: '上海静安支行', city: '上海', region: 'east', idRegionCode: '310106' },
  { id: 'BJ-CY-001', name: '北京朝阳支行', city: '北京', region: 'north', idRegionCode: '110105' },
  { id: 'BJ-HD-002', name: '北京海淀支行', city: '北京', region: 'north', idRegionCode: '110108' },
  { id: 'BJ-XC-003', name: '北京西城支行', city: '北京', region: 'north', idRegionCode: '110102' },
  { id: 'SZ-FT-001', name: '深圳福田支行', city: '深圳', region: 'south', idRegionCode: '440304' },
  { id: 'SZ-NS-002', name: '深圳南山支行', city: '深圳', region: 'south', idRegionCode: '440305' },
  { id: 'GZ-TH-001', name: '广州天河支行', city: '广州', region: 'south', idRegionCode: '440106' },
  { id: 'GZ-YX-002', name: '广州越秀支行', city: '广州', region: 'south', idRegionCode: '440104' },
  { id: 'HZ-XH-001', name: '杭州西湖支行', city: '杭州', region: 'east', idRegionCode: '330106' },
  { id: 'HZ-BJ-002', name: '杭州滨江支行', city: '杭州', region: 'east', idRegionCode: '330108' },
  { id: 'NJ-GL-001', name: '南京鼓楼支行', city: '南京', region: 'east', idRegionCode: '320106' },
  { id: 'SZ-GY-001', name: '苏州工业园区支行', city: '苏州', region: 'east', idRegionCode: '320571' },
  { id: 'CD-JJ-001', name: '成都锦江支行', city: '成都', region: 'west', idRegionCode: '510104' },
  { id: 'CQ-YZ-001', name: '重庆渝中支行', city: '重庆', region: 'west', idRegionCode: '500103' },
  { id: 'WH-JH-001', name: '武汉江汉支行', city: '武汉', region: 'central', idRegionCode: '420103' },
  { id: 'XA-YT-001', name: '西安雁塔支行', city: '西安', region: 'west', idRegionCode: '610113' },
  { id: 'TJ-HP-001', name: '天津和平支行', city: '天津', region: 'north', idRegionCode: '120101' },
  { id: 'XM-SM-001', name: '厦门思明支行', city: '厦门', region: 'south', idRegionCode: '350203' },
];
