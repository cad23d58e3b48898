with source as (
    select * from {{ source_or_empty('logistics', 'packing_list') }}
),

latest as (
    select *
    from source
    qualify row_number() over (partition by shipment_id, line_no order by _c360_source desc) = 1
),

renamed as (
    select
        shipment_id || '-' || line_no as packing_list_line_id,
        shipment_id,
        cast(line_no as integer) as line_no,
        sku,
        description,
        cast(quantity as double) as quantity,
        serial_numbers,
        _c360_source as source_file
    from latest
)

select * from renamed
