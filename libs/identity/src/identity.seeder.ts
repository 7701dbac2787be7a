import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type DemoSeed, DemoSeeder, Role } from '@app/platform';
import { UsersService } from './users.service';

/**
 * Demo logins (README): the counter worker 13800000601 and a daughter 13800000602 linked to her
 * mother, the senior 13800000301, and to her father 13800000603, who lives in the demo nursing home.
 */
const COUNTER_PHONE = '13800000601';
const DAUGHTER_PHONE = '13800000602';
const PARENT_PHONES = ['13800000301', '13800000603'];

/** After the other domains' demo people exist, so the daughter can be linked to them. */
@DemoSeeder(90)
@Injectable()
export class IdentitySeeder implements DemoSeed {
  constructor(
    private readonly users: UsersService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async seed(): Promise<void> {
    await this.users.create({ name: '陈晓燕', phone: COUNTER_PHONE, password: 'demo-counter-2020', roles: [Role.COUNTER] });
    const daughter = await this.users.create({ name: '张丽', phone: DAUGHTER_PHONE, password: 'demo-family-2020', roles: [Role.FAMILY] });
    for (const phone of PARENT_PHONES) {
      const parent = await this.users.findByPhone(phone);
      if (!parent) continue;
      await this.dataSource.query(`INSERT INTO family_links (senior_id, relative_id, relation, created_by) VALUES ($1, $2, 'CHILD', $1)`, [
        parent.id,
        daughter.id,
      ]);
    }
  }
}
