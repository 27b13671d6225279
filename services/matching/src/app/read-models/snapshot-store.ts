import type { EntityManager } from '@mikro-orm/mysql';
import { Injectable } from '@nestjs/common';
import { CustomerMatchSnapshot, ManagerMatchSnapshot } from '@relationship/contracts';
import type { ManagerLoad } from '@relationship/match-scoring';

export type UpsertOutcome<S> = { status: 'stale' } | { status: 'created'; snapshot: S } | { status: 'updated'; snapshot: S; previous: S };

/** A manager as matching sees it: the registry's snapshot plus matching's own load. */
export interface ManagerState {
  snapshot: ManagerMatchSnapshot;
  load: ManagerLoad;
}

interface JsonRow {
  snapshot: string | object;
}

const parse = <T>(raw: string | object): T => (typeof raw === 'string' ? JSON.parse(raw) : raw) as T;

/**
 * Read models of what profiles and managers publish (event-carried state). A snapshot only replaces the one held
 * when its entity version is newer, however the events arrive; the row lock taken here serialises two events of
 * one entity consumed at once.
 */
@Injectable()
export class SnapshotStore {
  private readonly managerCache = new Map<string, { version: number; snapshot: ManagerMatchSnapshot }>();

  async upsertCustomer(em: EntityManager, snapshot: CustomerMatchSnapshot, version: number): Promise<UpsertOutcome<CustomerMatchSnapshot>> {
    const [held] = await em.execute<(JsonRow & { profile_version: number })[]>(
      'select profile_version, snapshot from customer_snapshot where customer_id = ? for update',
      [snapshot.customerId],
    );
    if (held && held.profile_version >= version) return { status: 'stale' };
    const now = new Date();
    const columns = [snapshot.userId, version, snapshot.segment, snapshot.city, snapshot.homeBranchId, JSON.stringify(snapshot), now];
    if (held) {
      await em.execute(
        'update customer_snapshot set user_id = ?, profile_version = ?, segment = ?, city = ?, home_branch_id = ?, snapshot = ?, updated_at = ? where customer_id = ?',
        [...columns, snapshot.customerId],
      );
      return { status: 'updated', snapshot, previous: parse<CustomerMatchSnapshot>(held.snapshot) };
    }
    await em.execute(
      'insert into customer_snapshot (customer_id, user_id, profile_version, segment, city, home_branch_id, snapshot, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)',
      [snapshot.customerId, ...columns],
    );
    // Every known customer has exactly one assignment row (version 0, nobody) from the start.
    await em.execute('insert ignore into assignment (customer_id, version, updated_at) values (?, 0, ?)', [snapshot.customerId, now]);
    return { status: 'created', snapshot };
  }

  /**
   * Records the registry's view of a manager. Capacity in `manager_load` is left to the caller when it shrinks below
   * the current load (the overflow has to move first: the CHECK constraint refuses anything else).
   */
  async upsertManager(em: EntityManager, snapshot: ManagerMatchSnapshot, version: number): Promise<UpsertOutcome<ManagerMatchSnapshot>> {
    const [held] = await em.execute<(JsonRow & { manager_version: number })[]>(
      'select manager_version, snapshot from manager_snapshot where manager_id = ? for update',
      [snapshot.managerId],
    );
    if (held && held.manager_version >= version) return { status: 'stale' };
    const now = new Date();
    const columns = [snapshot.userId, version, snapshot.availability, snapshot.capacity, snapshot.city, snapshot.branchId, JSON.stringify(snapshot), now];
    if (held) {
      await em.execute(
        'update manager_snapshot set user_id = ?, manager_version = ?, availability = ?, capacity = ?, city = ?, branch_id = ?, snapshot = ?, updated_at = ? where manager_id = ?',
        [...columns, snapshot.managerId],
      );
      return { status: 'updated', snapshot, previous: parse<ManagerMatchSnapshot>(held.snapshot) };
    }
    await em.execute(
      'insert into manager_snapshot (manager_id, user_id, manager_version, availability, capacity, city, branch_id, snapshot, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [snapshot.managerId, ...columns],
    );
    await em.execute('insert into manager_load (manager_id, assigned, capacity) values (?, 0, ?) on duplicate key update capacity = capacity', [
      snapshot.managerId,
      snapshot.capacity,
    ]);
    return { status: 'created', snapshot };
  }

  async customer(em: EntityManager, customerId: string): Promise<CustomerMatchSnapshot | null> {
    const [row] = await em.execute<JsonRow[]>('select snapshot from customer_snapshot where customer_id = ?', [customerId]);
    return row ? parse<CustomerMatchSnapshot>(row.snapshot) : null;
  }

  async customerIdOfUser(em: EntityManager, userId: string): Promise<string | null> {
    const [row] = await em.execute<{ customer_id: string }[]>('select customer_id from customer_snapshot where user_id = ?', [userId]);
    return row?.customer_id ?? null;
  }

  async managerIdOfUser(em: EntityManager, userId: string): Promise<string | null> {
    const [row] = await em.execute<{ manager_id: string }[]>('select manager_id from manager_snapshot where user_id = ?', [userId]);
    return row?.manager_id ?? null;
  }

  async customers(em: EntityManager, customerIds: readonly string[]): Promise<Map<string, CustomerMatchSnapshot>> {
    const found = new Map<string, CustomerMatchSnapshot>();
    for (let i = 0; i < customerIds.length; i += 1000) {
      const ids = customerIds.slice(i, i + 1000);
      const rows = await em.execute<JsonRow[]>(`select snapshot from customer_snapshot where customer_id in (${ids.map(() => '?').join(',')})`, ids);
      for (const row of rows) {
        const snapshot = parse<CustomerMatchSnapshot>(row.snapshot);
        found.set(snapshot.customerId, snapshot);
      }
    }
    return found;
  }

  /**
   * Every manager with matching's load of their book (a few thousand at most: held in memory to score). Parsed
   * snapshots are cached by manager version, so a rematch reads only ids, versions and loads; a snapshot is
   * re-read when its version differs from the cached one (a rolled-back read can only cause one extra fetch).
   */
  async managers(em: EntityManager): Promise<Map<string, ManagerState>> {
    const rows = await em.execute<{ manager_id: string; manager_version: number; assigned: number }[]>(
      'select m.manager_id, m.manager_version, l.assigned from manager_snapshot m join manager_load l on l.manager_id = m.manager_id order by m.manager_id',
    );
    const stale = rows.filter((r) => this.managerCache.get(r.manager_id)?.version !== Number(r.manager_version)).map((r) => r.manager_id);
    for (let i = 0; i < stale.length; i += 1000) {
      const ids = stale.slice(i, i + 1000);
      const fetched = await em.execute<(JsonRow & { manager_id: string; manager_version: number })[]>(
        `select manager_id, manager_version, snapshot from manager_snapshot where manager_id in (${ids.map(() => '?').join(',')})`,
        ids,
      );
      for (const row of fetched) {
        this.managerCache.set(row.manager_id, { version: Number(row.manager_version), snapshot: parse<ManagerMatchSnapshot>(row.snapshot) });
      }
    }
    const states = new Map<string, ManagerState>();
    for (const row of rows) {
      const cached = this.managerCache.get(row.manager_id);
      if (cached) states.set(row.manager_id, { snapshot: cached.snapshot, load: { assigned: Number(row.assigned) } });
    }
    return states;
  }

  async manager(em: EntityManager, managerId: string): Promise<ManagerState | null> {
    const [row] = await em.execute<(JsonRow & { assigned: number })[]>(
      'select m.snapshot, l.assigned from manager_snapshot m join manager_load l on l.manager_id = m.manager_id where m.manager_id = ?',
      [managerId],
    );
    return row ? { snapshot: parse<ManagerMatchSnapshot>(row.snapshot), load: { assigned: Number(row.assigned) } } : null;
  }
}

export { parse as parseJsonColumn };
