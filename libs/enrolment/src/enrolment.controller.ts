import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  type MessageEvent,
  Param,
  Patch,
  Post,
  Query,
  Res,
  Sse,
  SseSignal,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { finalize, type Observable } from 'rxjs';
import {
  ActsForSenior,
  AnyRole,
  CurrentUser,
  type HttpReply,
  IdempotencyKey,
  LiveStreams,
  ParseUuid,
  type Principal,
  Public,
  Role,
  Roles,
} from '@app/platform';
import { AllocatorService } from './allocator.service';
import { ApplicationsService } from './applications.service';
import { CatalogueService } from './catalogue.service';
import { DrawsService } from './draws.service';
import { RosterExportService } from './roster-export';
import {
  AcceptedTicketDto,
  ApplyDto,
  CancelCourseDto,
  ChangeCourseDto,
  ChangeTermDto,
  CourseListQueryDto,
  CreateCourseDto,
  CreateTermDto,
  DrawDto,
  EnrolmentCourseDto,
  EnrolmentCourseListDto,
  EnrolmentTermDto,
  EnrolmentTermListDto,
  MyApplicationsQueryDto,
  RosterDto,
  RosterQueryDto,
  TicketDto,
  TicketListDto,
} from './dto/enrolment.dto';

/** Terms and courses: administrators create them; anyone may list them. */
@ApiTags('enrolment')
@Controller('enrolment')
export class EnrolmentCatalogueController {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly applications: ApplicationsService,
    private readonly draws: DrawsService,
    private readonly rosterExport: RosterExportService,
    private readonly allocator: AllocatorService,
  ) {}

  @Post('terms')
  @Roles(Role.ADMIN)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Create a term: enrolment window, courses-per-senior limit, minimum age' })
  @ApiCreatedResponse({ type: EnrolmentTermDto })
  async createTerm(@Body() body: CreateTermDto): Promise<EnrolmentTermDto> {
    return this.catalogue.createTerm({ ...body, opensAt: new Date(body.opensAt), closesAt: new Date(body.closesAt) });
  }

  @Patch('terms/:id')
  @Roles(Role.ADMIN)
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Change a term (partial): the name at any time; the closing until it has passed (409 TERM_ALREADY_CLOSED), never into the past; the opening, the limit of courses and the minimum age until it opens (409 TERM_ALREADY_OPEN). Other processes follow within 3 s',
  })
  @ApiOkResponse({ type: EnrolmentTermDto })
  async changeTerm(@Param('id', ParseUuid) id: string, @Body() body: ChangeTermDto): Promise<EnrolmentTermDto> {
    return this.catalogue.changeTerm(id, {
      name: body.name?.trim(),
      opensAt: body.opensAt === undefined ? undefined : new Date(body.opensAt),
      closesAt: body.closesAt === undefined ? undefined : new Date(body.closesAt),
      maxCoursesPerSenior: body.maxCoursesPerSenior,
      minAge: body.minAge,
    });
  }

  @Get('terms')
  @Public()
  @ApiOperation({ summary: 'Terms, newest first' })
  @ApiOkResponse({ type: EnrolmentTermListDto })
  async terms(): Promise<EnrolmentTermListDto> {
    const items = await this.catalogue.terms();
    return { items, total: items.length };
  }

  @Post('courses')
  @Roles(Role.ADMIN)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Create a course of a term: campus, capacity, weekday and slot, FIRST_COME or LOTTERY' })
  @ApiCreatedResponse({ type: EnrolmentCourseDto })
  async createCourse(@Body() body: CreateCourseDto): Promise<EnrolmentCourseDto> {
    return this.catalogue.createCourse({ ...body, termId: body.termId.toLowerCase() });
  }

  @Get('courses')
  @Public()
  @ApiOperation({ summary: 'Courses with confirmed and waitlist counts (served from cache during a burst)' })
  @ApiOkResponse({ type: EnrolmentCourseListDto })
  async courses(@Query() query: CourseListQueryDto): Promise<EnrolmentCourseListDto> {
    return this.catalogue.listCourses(query.termId?.toLowerCase(), query.limit, query.offset);
  }

  @Patch('courses/:id')
  @Roles(Role.ADMIN)
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Change a course’s title, campus or capacity (partial). Below the seats taken → 409 CAPACITY_BELOW_CONFIRMED; raised, the new seats go at once to the waiting list in order. Slot and mode cannot change',
  })
  @ApiOkResponse({ type: EnrolmentCourseDto })
  async changeCourse(@Param('id', ParseUuid) id: string, @Body() body: ChangeCourseDto): Promise<EnrolmentCourseDto> {
    const changes = { title: body.title?.trim(), campus: body.campus?.trim(), capacity: body.capacity };
    return this.catalogue.changed(await this.allocator.changeCourse(id, changes));
  }

  @Post('courses/:id/cancel')
  @Roles(Role.ADMIN)
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Cancel a course (停开) with a reason: every ticket holding or waiting for a place is cancelled and its senior and her relatives told (SEAT_CANCELLED); the course then takes no applications (409 COURSE_CANCELLED) and does not change. Again → 200, the course as it is',
  })
  @ApiOkResponse({ type: EnrolmentCourseDto })
  async cancelCourse(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string, @Body() body: CancelCourseDto): Promise<EnrolmentCourseDto> {
    return this.catalogue.changed(await this.allocator.cancelCourse(id, principal.id, body.reason.trim()));
  }

  @Post('courses/:id/draw')
  @Roles(Role.ADMIN)
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Draw a lottery course after its term has closed (409 before); a drawn course keeps its draw' })
  @ApiOkResponse({ type: DrawDto })
  async draw(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string): Promise<DrawDto> {
    return this.draws.draw(principal, id);
  }

  @Get('courses/:id/draw')
  @Public()
  @ApiOperation({ summary: 'The published draw: seed, algorithm in words and the order, recomputable by anyone' })
  @ApiOkResponse({ type: DrawDto })
  async getDraw(@Param('id', ParseUuid) id: string): Promise<DrawDto> {
    return this.draws.get(id);
  }

  @Get('courses/:id/roster')
  @Roles(Role.ADMIN)
  @ApiBearerAuth()
  @Header('Cache-Control', 'no-store')
  @ApiProduces('application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOperation({
    summary: 'Confirmed tickets and the waiting list of a course, in order; with format=csv|xlsx a file with names and masked phones and ID numbers',
  })
  @ApiOkResponse({ type: RosterDto })
  async roster(@Param('id', ParseUuid) id: string, @Query() query: RosterQueryDto): Promise<RosterDto | StreamableFile> {
    if (query.format) return this.rosterExport.file(id, query.format);
    return this.applications.roster(id);
  }
}

/** Applications (tickets): apply, read, follow live and cancel. */
@ApiTags('enrolment')
@ApiBearerAuth()
@Controller('enrolment/applications')
export class EnrolmentApplicationsController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly liveStreams: LiveStreams,
  ) {}

  @Post()
  @ActsForSenior()
  @Roles(Role.SENIOR)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: '1–100 visible characters; a repeat with the same key and body returns the first response',
  })
  @ApiOperation({ summary: 'Apply for a course: 202 with a queued ticket and its sequence; a repeat for the same course → 200 with the same ticket' })
  @ApiAcceptedResponse({ type: AcceptedTicketDto })
  @ApiOkResponse({ type: AcceptedTicketDto, description: 'the senior already holds an active ticket for this course' })
  async apply(
    @CurrentUser() principal: Principal,
    @Body() body: ApplyDto,
    @IdempotencyKey() key: string | undefined,
    @Res({ passthrough: true }) res: HttpReply,
  ): Promise<AcceptedTicketDto> {
    const result = await this.applications.apply(principal, body.courseId.toLowerCase(), key);
    void res.status(result.httpStatus);
    return result.body;
  }

  @Get()
  @ActsForSenior()
  @Roles(Role.SENIOR)
  @ApiOperation({ summary: 'The caller’s own tickets (mine=true), newest first' })
  @ApiOkResponse({ type: TicketListDto })
  async mine(@CurrentUser() principal: Principal, @Query() query: MyApplicationsQueryDto): Promise<TicketListDto> {
    return this.applications.mine(principal, query.limit, query.offset);
  }

  @Get(':ticketId')
  @ActsForSenior()
  @AnyRole()
  @ApiOperation({ summary: 'A ticket (owner or administrator), also while it is still queued' })
  @ApiOkResponse({ type: TicketDto })
  async get(@CurrentUser() principal: Principal, @Param('ticketId', ParseUuid) ticketId: string): Promise<TicketDto> {
    return this.applications.get(principal, ticketId);
  }

  @Sse(':ticketId/events')
  @AnyRole()
  @ApiProduces('text/event-stream')
  @ApiOperation({ summary: 'Live ticket status: event "status" with the current state first, then every change' })
  @ApiOkResponse({ description: 'text/event-stream of `status` events carrying the ticket', type: String })
  @ApiTooManyRequestsResponse({
    description: 'RATE_LIMITED: the caller, or the server, holds as many live streams as allowed (LIVE_STREAMS_PER_USER, LIVE_STREAMS_PER_PROCESS)',
  })
  async events(
    @CurrentUser() principal: Principal,
    @Param('ticketId', ParseUuid) ticketId: string,
    @SseSignal() signal: AbortSignal,
  ): Promise<Observable<MessageEvent>> {
    const events = await this.applications.events$(principal, ticketId);
    // The slot is given back however the stream ends: the client leaves, the stream completes, or
    // the client left before it began (the signal aborts in every case).
    const release = this.liveStreams.open(principal.id, signal);
    return events.pipe(finalize(release));
  }

  @Delete(':ticketId')
  @ActsForSenior()
  @AnyRole()
  @ApiOperation({ summary: 'Cancel a ticket (owner or administrator); a freed seat goes to the waiting list within seconds' })
  @ApiOkResponse({ type: TicketDto })
  async cancel(@CurrentUser() principal: Principal, @Param('ticketId', ParseUuid) ticketId: string): Promise<TicketDto> {
    return this.applications.cancel(principal, ticketId);
  }
}
