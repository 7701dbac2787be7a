import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public, Role, Roles } from '@app/platform';
import { CreateFacilityDto, FacilityDto, FacilityListDto, FacilityListQueryDto } from './dto/facility.dto';
import { FacilitiesService } from './facilities.service';

@ApiTags('facilities')
@Controller('facilities')
export class FacilitiesController {
  constructor(private readonly facilities: FacilitiesService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Facilities with bed totals by status, and district totals; derived from bed rows' })
  @ApiOkResponse({ type: FacilityListDto })
  async list(@Query() query: FacilityListQueryDto): Promise<FacilityListDto> {
    return this.facilities.list(query.kind, query.limit, query.offset);
  }

  @Post()
  @Roles(Role.ADMIN)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'An administrator creates a facility (nursing home, rehabilitation hospital or care centre)' })
  @ApiCreatedResponse({ type: FacilityDto })
  async create(@Body() body: CreateFacilityDto): Promise<FacilityDto> {
    return this.facilities.create(body);
  }
}
