import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser } from '@relationship/auth';
import { ReqMeta, uuidParam, writeContextOf, type Page, type RequestMeta } from '@relationship/service-kit';
import type { FastifyReply } from 'fastify';
import { AdjustmentView, AssignmentsService, AssignmentView, CustomerHistoryView, HistoryView } from './assignments.service';
import { AdjustmentListQuery, AssignmentListQuery, DecisionDto, DeclineDto, HistoryQuery, ReassignDto } from './dto';

const adminContext = (meta: RequestMeta, caller: AuthUser, reason?: string) => ({ ...writeContextOf(meta, caller, reason), actor: { id: caller.id, role: caller.role } });

@ApiTags('matching')
@Controller('matching')
export class AssignmentsController {
  constructor(private readonly assignments: AssignmentsService) {}

  @Get('me/assignment')
  @Roles('customer')
  @ApiOperation({ summary: "The signed-in customer's relationship manager" })
  mine(@CurrentUser() caller: AuthUser): Promise<AssignmentView> {
    return this.assignments.mine(caller);
  }

  @Get('customers/:customerId/assignment')
  @Roles('customer', 'manager', 'admin')
  @ApiOperation({ summary: "A customer's current manager with the score's explanation (a manager: own book only)" })
  ofCustomer(@Param('customerId', uuidParam('customerId')) customerId: string, @CurrentUser() caller: AuthUser): Promise<AssignmentView> {
    return this.assignments.ofCustomer(customerId, caller);
  }

  @Get('assignments')
  @Roles('manager', 'admin')
  @ApiOperation({ summary: "Current assignments (a manager: their own book, including proposals awaiting their answer)" })
  list(@Query() query: AssignmentListQuery, @CurrentUser() caller: AuthUser): Promise<Page<AssignmentView>> {
    return this.assignments.list(query, caller);
  }

  @Get('history')
  @Roles('customer', 'manager', 'admin')
  @ApiOperation({
    summary: 'Every assignment change with run, score, explanation, reason, actor and time',
    description: 'A customer gets their own timeline only: event, version and time, without internal notes, reasons, runs or staff ids.',
  })
  history(@Query() query: HistoryQuery, @CurrentUser() caller: AuthUser): Promise<Page<HistoryView> | Page<CustomerHistoryView>> {
    return this.assignments.history(query, caller);
  }

  @Post('customers/:customerId/reassign')
  @Roles('admin')
  @ApiOperation({ summary: 'Move a customer to a manager (reason required; 202 when it awaits a second admin)' })
  async reassign(
    @Param('customerId', uuidParam('customerId')) customerId: string,
    @Body() dto: ReassignDto,
    @CurrentUser() caller: AuthUser,
    @ReqMeta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.assignments.reassign(customerId, dto, adminContext(meta, caller, dto.reason));
    if (result.status === 'pending_approval') void reply.status(202);
    return result;
  }

  @Get('adjustments')
  @Roles('admin')
  adjustments(@Query() query: AdjustmentListQuery): Promise<Page<AdjustmentView>> {
    return this.assignments.adjustments(query);
  }

  @Post('adjustments/:id/approve')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a pending reassignment (not by the admin who requested it)' })
  approve(@Param('id', uuidParam()) id: string, @Body() dto: DecisionDto, @CurrentUser() caller: AuthUser, @ReqMeta() meta: RequestMeta): Promise<AdjustmentView> {
    return this.assignments.decide(id, true, dto.note, adminContext(meta, caller));
  }

  @Post('adjustments/:id/reject')
  @Roles('admin')
  @HttpCode(200)
  reject(@Param('id', uuidParam()) id: string, @Body() dto: DecisionDto, @CurrentUser() caller: AuthUser, @ReqMeta() meta: RequestMeta): Promise<AdjustmentView> {
    return this.assignments.decide(id, false, dto.note, adminContext(meta, caller));
  }

  @Post('proposals/:proposalId/accept')
  @Roles('manager', 'admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'The proposed manager accepts the customer' })
  accept(@Param('proposalId', uuidParam('proposalId')) proposalId: string, @CurrentUser() caller: AuthUser, @ReqMeta() meta: RequestMeta): Promise<AssignmentView> {
    return this.assignments.acceptProposal(proposalId, caller, writeContextOf(meta, caller));
  }

  @Post('proposals/:proposalId/decline')
  @Roles('manager', 'admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'The proposed manager declines (reason required); the customer is rematched at once' })
  decline(
    @Param('proposalId', uuidParam('proposalId')) proposalId: string,
    @Body() dto: DeclineDto,
    @CurrentUser() caller: AuthUser,
    @ReqMeta() meta: RequestMeta,
  ): Promise<AssignmentView> {
    return this.assignments.declineProposal(proposalId, dto.reason, caller, writeContextOf(meta, caller, dto.reason));
  }
}
