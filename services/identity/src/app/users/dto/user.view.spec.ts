import { maskEmail, maskPhone } from '@relationship/service-kit';
import type { User } from '../../database/entities';
import { toUserView } from './user.view';

describe('contact masking', () => {
  it.each([
    ['13812345678', '138****5678'],
    ['+86 138 1234 5678', '+86****5678'],
    ['0755-1234', '07****34'],
    ['12345', '****'],
    [null, null],
  ])('masks phone %j as %j', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });

  it.each([
    ['chen.wei@example.com', 'c***@example.com'],
    ['a@b.co', 'a***@b.co'],
    ['broken', '***'],
    [null, null],
  ])('masks email %j as %j', (email, masked) => {
    expect(maskEmail(email)).toBe(masked);
  });
});

describe('user view', () => {
  const user = {
    id: 'u-1',
    username: 'chen.wei',
    email: 'chen.wei@example.com',
    phone: '13812345678',
    displayName: '陈伟',
    role: 'customer',
    status: 'active',
    passwordHash: '$argon2id$secret',
    createdAt: new Date('2026-11-25T10:00:00Z'),
    updatedAt: new Date('2026-11-25T10:00:00Z'),
    lastLoginAt: null,
  } as unknown as User;

  it('shows contact details in full to the owner and to admins', () => {
    expect(toUserView(user, { id: 'u-1', role: 'customer' })).toEqual(expect.objectContaining({ email: 'chen.wei@example.com', phone: '13812345678' }));
    expect(toUserView(user, { id: 'admin-1', role: 'admin' })).toEqual(expect.objectContaining({ email: 'chen.wei@example.com', phone: '13812345678' }));
  });

  it('masks them for everybody else', () => {
    expect(toUserView(user, { id: 'm-1', role: 'manager' })).toEqual(expect.objectContaining({ email: 'c***@example.com', phone: '138****5678' }));
  });

  it('never includes the password hash', () => {
    expect(JSON.stringify(toUserView(user, { id: 'u-1', role: 'customer' }))).not.toContain('argon2');
  });
});
