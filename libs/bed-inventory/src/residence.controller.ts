import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ActsForSenior, CurrentUser, type Principal, Role, Roles } from '@app/platform';
import { ResidenceDto } from './dto/resident.dto';
import { ResidentsService } from './residents.service';

/** A senior's own bed, read by her, or for her by the counter or a linked relative. */
@ApiTags('residents')
@ApiBearerAuth()
@Controller('me')
export class ResidenceController {
  constructor(private readonly residents: ResidentsService) {}

  @Get('residence')
  @ActsForSenior()
  @Roles(Role.SENIOR)
  @ApiOperation({
    summary:
      'The bed held for the caller or hers now (facility, code, floor, room, since when), and the waiting lists she is on; found by her ID number, so a senior with none, or never a resident, has no bed and no list',
  })
  @ApiOkResponse({ type: ResidenceDto })
  async residence(@CurrentUser() principal: Principal): Promise<ResidenceDto> {
    return this.residents.residenceOf(principal.id);
  }
}
