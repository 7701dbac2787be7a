import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ActsForSenior, AnyRole, CurrentUser, PageQueryDto, ParseUuid, type Principal, Role, Roles } from '@app/platform';
import { ActedForListDto, CreateFamilyLinkDto, FamilyLinkDto, FamilyLinkEndedDto, FamilyLinkListDto } from './dto/identity.dto';
import { FamilyLinksService } from './family-links.service';

/** Family links (亲情账号) and a senior's record of what others did for them. */
@ApiTags('family')
@ApiBearerAuth()
@Controller()
export class FamilyController {
  constructor(private readonly family: FamilyLinksService) {}

  @Post('family-links')
  @Roles(Role.SENIOR, Role.COUNTER, Role.ADMIN)
  @ApiOperation({ summary: 'A senior links a relative to themself, or counter staff link one for a senior after checking the ID card' })
  @ApiCreatedResponse({ type: FamilyLinkDto })
  async create(@CurrentUser() principal: Principal, @Body() body: CreateFamilyLinkDto): Promise<FamilyLinkDto> {
    return this.family.create(principal, body);
  }

  @Get('family-links')
  @AnyRole()
  @ApiOperation({ summary: 'The live links where the caller is the senior or the relative' })
  @ApiOkResponse({ type: FamilyLinkListDto })
  async list(@CurrentUser() principal: Principal): Promise<FamilyLinkListDto> {
    const items = await this.family.listFor(principal);
    return { items, total: items.length };
  }

  @Delete('family-links/:id')
  @AnyRole()
  @ApiOperation({ summary: 'Ends a link at once (the senior, the relative, counter staff or an administrator)' })
  @ApiOkResponse({ type: FamilyLinkEndedDto })
  async end(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string): Promise<FamilyLinkEndedDto> {
    return this.family.end(principal, id);
  }

  @Get('me/acted-for')
  @Roles(Role.SENIOR)
  @ActsForSenior()
  @ApiOperation({ summary: 'What relatives, counter staff, administrators or care-centre managers did for the senior, newest first' })
  @ApiOkResponse({ type: ActedForListDto })
  async actedForMe(@CurrentUser() principal: Principal, @Query() query: PageQueryDto): Promise<ActedForListDto> {
    return this.family.actedFor({ seniorId: principal.id, limit: query.limit, offset: query.offset });
  }
}
