update identity.customer_id_history as older set current_id = tonight.current_id
from history_frame as tonight
where tonight.change = 'merge' and older.change = 'merge' and older.level = tonight.level
  and older.current_id = tonight.previous_id
