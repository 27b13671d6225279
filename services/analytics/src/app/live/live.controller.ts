import { BadRequestException, Controller, Get, Headers, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@relationship/auth';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ScopeResolver } from '../figures/scope';
import { LiveHub } from './live.service';

/** The `exp` of an already verified bearer token (seconds since the epoch), to end the stream when it expires. */
export function tokenExpiry(authorization: string | undefined): number | null {
  const token = authorization?.replace(/^Bearer\s+/i, '');
  const payload = token?.split('.')[1];
  if (!payload) return null;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp : null;
  } catch {
    return null;
  }
}

/** A Last-Event-ID is the decimal id of a message this service sent. */
export function parseLastEventId(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  if (!/^\d{1,15}$/.test(value)) throw new BadRequestException('Last-Event-ID must be the decimal id of a message of this stream');
  return Number(value);
}

@ApiTags('analytics')
@ApiBearerAuth()
@Controller('analytics')
export class LiveController {
  constructor(
    private readonly hub: LiveHub,
    private readonly scopes: ScopeResolver,
  ) {}

  @Get('live')
  @Roles('manager', 'admin')
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'the id of the last message received, when reconnecting' })
  @ApiOperation({
    summary: 'Live board (server-sent events)',
    description:
      "At most once a second: events applied per second by type and running totals (from every topic analytics consumes), the latest events with their occurredAt, replay progress, consumer lag per topic and the latest rebalance run. A manager's stream carries only events naming them (proposals, outcomes, assignments to or from them). The stream ends when the access token expires (event `expired`); the client reconnects with a new token and Last-Event-ID.",
  })
  async live(@CurrentUser() user: AuthUser, @Headers('last-event-id') lastEventId: string | undefined, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const resumeAfter = parseLastEventId(lastEventId);
    const scope = await this.scopes.resolve(user, {});
    const managerId = scope.kind === 'manager' ? scope.managerId : null;
    const exp = tokenExpiry(request.headers.authorization);

    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Proxies (nginx ingress) must not buffer the stream.
      'x-accel-buffering': 'no',
      'x-request-id': String(request.id),
    });
    raw.write(`retry: 3000\n: resuming after ${resumeAfter ?? 'none'}, last id ${this.hub.lastId}\n\n`);
    const unsubscribe = this.hub.subscribe(managerId, (message) => {
      raw.write(`id: ${message.id}\nevent: figures\ndata: ${JSON.stringify(message)}\n\n`);
    });
    const expiry = exp === null ? undefined : setTimeout(() => {
      raw.write('event: expired\ndata: {"reason":"access token expired"}\n\n');
      raw.end();
    }, Math.max(0, exp * 1000 - Date.now()));
    expiry?.unref();
    raw.on('close', () => {
      unsubscribe();
      clearTimeout(expiry);
    });
  }
}
