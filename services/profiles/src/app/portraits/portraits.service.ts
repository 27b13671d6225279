import { EntityManager } from '@mikro-orm/mysql';
import { Injectable, NotFoundException } from '@nestjs/common';
import { ProfileCreated, type UserRegisteredPayload } from '@relationship/contracts';
import { OutboxService } from '@relationship/messaging';
import { CustomerPortrait } from './customer-portrait.entity';

export interface PortraitPage {
  items: CustomerPortrait[];
  total: number;
  page: number;
  pageSize: number;
}

@Injectable()
export class PortraitsService {
  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * Creates the empty portrait of a newly registered customer, inside the consumer's transaction.
   * The unique user id makes a second portrait impossible even if dedupe were bypassed.
   */
  async createForRegisteredCustomer(em: EntityManager, user: UserRegisteredPayload, correlationId: string | null): Promise<void> {
    if (user.role !== 'customer') return;
    if (await em.count(CustomerPortrait, { userId: user.userId })) return;
    const now = new Date();
    const portrait = em.create(CustomerPortrait, {
      id: crypto.randomUUID(),
      userId: user.userId,
      displayName: user.displayName,
      email: user.email,
      phone: user.phone,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    em.persist(portrait);
    this.outbox.enqueue(em, {
      contract: ProfileCreated,
      correlationId,
      payload: {
        customerId: portrait.id,
        userId: portrait.userId,
        displayName: portrait.displayName,
        profileVersion: portrait.version,
        createdAt: now.toISOString(),
      },
    });
  }

  async findByUserId(userId: string): Promise<CustomerPortrait> {
    const portrait = await this.em.fork().findOne(CustomerPortrait, { userId });
    if (!portrait) throw new NotFoundException('no portrait exists for this account yet');
    return portrait;
  }

  async findById(id: string): Promise<CustomerPortrait> {
    const portrait = await this.em.fork().findOne(CustomerPortrait, { id });
    if (!portrait) throw new NotFoundException(`portrait ${id} not found`);
    return portrait;
  }

  async list(page: number, pageSize: number): Promise<PortraitPage> {
    const [items, total] = await this.em
      .fork()
      .findAndCount(CustomerPortrait, {}, { orderBy: { createdAt: 'desc', id: 'asc' }, limit: pageSize, offset: (page - 1) * pageSize });
    return { items, total, page, pageSize };
  }
}
