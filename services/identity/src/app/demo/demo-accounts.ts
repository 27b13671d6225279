import type { NewAccount } from '../users/users.service';

const CUSTOMER_NAMES = [
  '王芳', '李娜', '张伟', '刘洋', '陈静', '杨磊', '赵敏', '黄丽', '周杰', '吴霞',
  '徐明', '孙悦', '马超', '朱琳', '胡斌', '郭婷', '何俊', '高峰', '林晓', '罗佳',
];
const MANAGER_NAMES = ['郑建国', '谢婉清', '韩志强', '唐雪梅', '冯立新'];

/** The accounts a demo installation starts with; passwords match the demo guide. */
export function demoAccounts(): NewAccount[] {
  return [
    { username: 'admin', password: 'admin123', displayName: '系统管理员', email: 'admin@demo.relationship.local', role: 'admin' },
    ...CUSTOMER_NAMES.map((displayName, i) => ({
      username: `customer${i + 1}`,
      password: '123456',
      displayName,
      email: `customer${i + 1}@demo.relationship.local`,
      phone: `1380013${String(i + 1).padStart(4, '0')}`,
      role: 'customer' as const,
    })),
    ...MANAGER_NAMES.map((displayName, i) => ({
      username: `manager${i + 1}`,
      password: '123456',
      displayName,
      email: `manager${i + 1}@demo.relationship.local`,
      role: 'manager' as const,
    })),
  ];
}
