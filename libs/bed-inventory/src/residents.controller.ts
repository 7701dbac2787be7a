import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, ParseUuid, type Principal, Role, Roles } from '@app/platform';
import { CreateResidentDto, ResidentDto } from './dto/resident.dto';
import { ResidentsService } from './residents.service';

@ApiTags('residents')
@ApiBearerAuth()
@Controller('residents')
export class ResidentsController {
  constructor(private readonly residents: ResidentsService) {}

  @Post()
  @Roles(Role.MANAGER, Role.ADMIN)
  @ApiOperation({ summary: 'Register a resident of a facility the caller manages; the ID number is stored encrypted' })
  @ApiCreatedResponse({ type: ResidentDto })
  async create(@CurrentUser() principal: Principal, @Body() body: CreateResidentDto): Promise<ResidentDto> {
    return this.residents.create(principal, body);
  }

  @Get(':id')
  @Roles(Role.MANAGER, Role.ADMIN)
  @ApiOperation({ summary: 'A resident, ID number masked; only managers of the facility and administrators see it' })
  @ApiOkResponse({ type: ResidentDto })
  async get(@CurrentUser() principal: Principal, @Param('id', ParseUuid) id: string): Promise<ResidentDto> {
    return this.residents.findVisible(principal, id);
  }
}
