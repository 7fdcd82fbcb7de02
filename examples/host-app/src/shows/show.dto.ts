import { IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

export class ScheduleShowDto {
  @Matches(ID, { message: 'id must be 1 to 64 characters of A-Z, a-z, 0-9, _ and -' })
  id: string;

  @IsString()
  @Length(1, 200)
  title: string;

  @IsInt()
  @Min(1)
  @Max(100_000)
  capacity: number;
}

export class ReserveSeatDto {
  @Matches(ID, { message: 'seatId must be 1 to 64 characters of A-Z, a-z, 0-9, _ and -' })
  seatId: string;
}
